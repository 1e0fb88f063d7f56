#!/usr/bin/env node
'use strict';
/**
 * Builds the npm package of lambdasim with the host's native library in it:
 *
 *   npm run build-package [-- --out DIR]      (node scripts/pack.js)
 *
 * 1. `cargo build --release -p lambdasim-ffi` in the workspace root (skipped
 *    with LSIM_NO_CARGO=1: the library is already built);
 * 2. a staged copy of the package in a temporary directory: the files of
 *    package.json's "files", the licenses from the workspace root and the
 *    library, debug info stripped, as prebuilds/<platform>-<arch>/
 *    liblambdasim.so.<major> (its SONAME; .dylib on macOS);
 * 3. `npm pack` there, writing lambdasim-<version>.tgz into DIR (default:
 *    the working directory). The last line printed is the tarball's path.
 * The checkout is left untouched, so its tests never see a stale prebuilt copy.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { installedFileName, libraryFileNames } = require('../load');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const ROOT = path.resolve(PACKAGE_DIR, '..', '..');

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with status ${r.status}`);
  return r.stdout;
}

function parseArgs(argv) {
  let out = process.cwd();
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--out' && i + 1 < argv.length) {
      out = path.resolve(argv[i + 1]);
      i += 1;
    } else {
      throw new Error(`usage: node scripts/pack.js [--out DIR] (got ${argv[i]})`);
    }
  }
  return { out };
}

function main() {
  const { out } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'ffi', 'Cargo.toml'))) {
    throw new Error(`scripts/pack.js runs in a lambdasim checkout; ${ROOT} is not one`);
  }
  if (process.env.LSIM_NO_CARGO !== '1') {
    process.stdout.write(run('cargo', ['build', '--release', '-p', 'lambdasim-ffi', '--locked'], { cwd: ROOT }));
  }
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(ROOT, 'target');
  const built = path.join(targetDir, 'release', libraryFileNames()[0]);
  if (!fs.existsSync(built)) {
    throw new Error(`${built} is missing; build it first: cargo build --release -p lambdasim-ffi`);
  }

  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdasim-npm-'));
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    for (const f of manifest.files) {
      const from = f.startsWith('LICENSE') ? path.join(ROOT, f) : path.join(PACKAGE_DIR, f);
      if (f.endsWith('/')) continue; // prebuilds/: written below
      fs.copyFileSync(from, path.join(stage, f));
    }
    fs.copyFileSync(path.join(PACKAGE_DIR, 'package.json'), path.join(stage, 'package.json'));
    fs.mkdirSync(path.join(stage, 'scripts'));
    fs.copyFileSync(path.join(__dirname, 'prepack-check.js'), path.join(stage, 'scripts', 'prepack-check.js'));

    const dir = path.join(stage, 'prebuilds', `${process.platform}-${process.arch}`);
    fs.mkdirSync(dir, { recursive: true });
    const lib = path.join(dir, installedFileName());
    fs.copyFileSync(built, lib);
    if (process.platform === 'linux') run('strip', ['--strip-debug', lib]);

    fs.mkdirSync(out, { recursive: true });
    const packed = run('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: stage }).trim().split('\n').pop();
    const tarball = path.join(out, packed);
    console.log(tarball);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(`lambdasim pack: ${e.message}`);
  process.exit(1);
}
