'use strict';
// The npm package as users get it: scripts/pack.js builds the tarball (with
// the host's library under prebuilds/), it installs into an empty project
// outside the repository, and both require('lambdasim') and
// `import ... from 'lambdasim'` load the prebuilt library and run a scenario
// exactly as the checkout does.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const lsim = require('..');
const load = require('../load');

const PACKAGE_DIR = path.join(__dirname, '..');
const SCENARIO = `
seed = 5
horizon_s = 70

[[functions]]
name = "api"
workload = { type = "poisson", rate_per_s = 20 }
handler = { type = "exponential", mean_ms = 100 }
`;

/** The environment without any setting that would choose the library. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const k of ['LAMBDASIM_LIB', 'LAMBDASIM_PREFIX', 'CARGO_TARGET_DIR', 'LD_LIBRARY_PATH']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const built = path.join(
  process.env.CARGO_TARGET_DIR ? path.resolve(load.WORKSPACE_ROOT, process.env.CARGO_TARGET_DIR) : path.join(load.WORKSPACE_ROOT, 'target'),
  'release',
  load.libraryFileNames()[0],
);
const skip = fs.existsSync(built) ? false : `${built} is not built`;

test('npm pack ships the library, the ES module entry and the licenses; the tarball installs and runs', { skip }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambdasim-pack-test-'));
  try {
    const out = run(process.execPath, [path.join(PACKAGE_DIR, 'scripts', 'pack.js'), '--out', tmp], {
      env: { ...process.env, LSIM_NO_CARGO: '1' },
    });
    const tarball = out.trim().split('\n').pop();
    assert.ok(fs.existsSync(tarball), out);

    const files = run('tar', ['tzf', tarball]).trim().split('\n').sort();
    const lib = `prebuilds/${process.platform}-${process.arch}/${load.installedFileName()}`;
    const want = ['LICENSE-APACHE', 'LICENSE-MIT', 'README.md', 'index.d.ts', 'index.js', 'index.mjs', 'load.js', 'package.json', lib];
    assert.deepEqual(files, want.map((f) => `package/${f}`).sort());

    const proj = path.join(tmp, 'proj');
    fs.mkdirSync(proj);
    fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'uses-lambdasim', private: true }));
    // koffi comes from the npm cache (npm ci filled it) or the registry.
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: proj, env: cleanEnv() });
    const installed = path.join(proj, 'node_modules', 'lambdasim');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.engines.node, '>=20');

    const expectedJson = (() => {
      const r = lsim.runScenario(SCENARIO);
      try {
        return r.json();
      } finally {
        r.close();
      }
    })();
    const cjs = run(
      process.execPath,
      ['-e', `const l = require('lambdasim'); const r = l.runScenario(${JSON.stringify(SCENARIO)}); process.stdout.write(JSON.stringify([l.LIBRARY_PATH, r.json()])); r.close();`],
      { cwd: proj, env: cleanEnv() },
    );
    const [cjsPath, cjsJson] = JSON.parse(cjs);
    assert.equal(cjsPath, path.join(installed, lib));
    assert.equal(cjsJson, expectedJson);

    const esm = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import lambdasim, { runScenario, LIBRARY_PATH } from 'lambdasim';
         if (lambdasim.runScenario !== runScenario) throw new Error('two copies');
         const r = runScenario(${JSON.stringify(SCENARIO)});
         process.stdout.write(JSON.stringify([LIBRARY_PATH, r.json()])); r.close();`,
      ],
      { cwd: proj, env: cleanEnv() },
    );
    assert.deepEqual(JSON.parse(esm), [path.join(installed, lib), expectedJson]);

    // LAMBDASIM_LIB still wins over the prebuilt copy.
    const chosen = run(process.execPath, ['-e', "process.stdout.write(require('lambdasim').LIBRARY_PATH)"], {
      cwd: proj,
      env: cleanEnv({ LAMBDASIM_LIB: built }),
    });
    assert.equal(chosen, built);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('the ES module entry exports exactly what index.js exports', async () => {
  const esm = await import(path.join(PACKAGE_DIR, 'index.mjs'));
  assert.equal(esm.default, lsim);
  const named = Object.keys(esm).filter((k) => k !== 'default').sort();
  assert.deepEqual(named, Object.keys(lsim).sort());
  for (const k of named) assert.equal(esm[k], lsim[k], k);
});

test('packing the checkout itself is refused: it has no native library', () => {
  const r = spawnSync(process.execPath, [path.join(PACKAGE_DIR, 'scripts', 'prepack-check.js')], { encoding: 'utf8' });
  if (fs.existsSync(path.join(PACKAGE_DIR, 'prebuilds'))) return; // a developer's own prebuilds/
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no native library in .*prebuilds/);
  assert.match(r.stderr, /npm run build-package/);
});

test('the search order: a setting alone, else workspace, prebuilt, dynamic loader, system directories', () => {
  const lib = load.resolveLibraryPath({ LAMBDASIM_LIB: 'x/liblambdasim.so' }, 'linux', 'x64');
  assert.deepEqual(lib.candidates, [path.resolve('x/liblambdasim.so')]);
  assert.equal(lib.setting, 'LAMBDASIM_LIB');
  const prefix = load.resolveLibraryPath({ LAMBDASIM_PREFIX: '/opt/ls' }, 'linux', 'x64');
  assert.deepEqual(prefix.candidates, ['/opt/ls/lib/liblambdasim.so.0', '/opt/ls/lib64/liblambdasim.so.0']);
  assert.equal(prefix.setting, 'LAMBDASIM_PREFIX');
  assert.equal(prefix.fromEnv, true);

  const dev = load.resolveLibraryPath({}, 'linux', 'arm64');
  assert.equal(dev.fromEnv, false);
  assert.equal(dev.setting, null);
  assert.deepEqual(dev.candidates, [
    path.join(load.WORKSPACE_ROOT, 'target', 'release', 'liblambdasim_ffi.so'),
    path.join(load.WORKSPACE_ROOT, 'target', 'release', 'liblambdasim_ffi.dylib'),
    path.join(PACKAGE_DIR, 'prebuilds', 'linux-arm64', 'liblambdasim.so.0'),
    'liblambdasim.so.0',
    '/usr/local/lib/liblambdasim.so.0',
    '/usr/local/lib64/liblambdasim.so.0',
    '/usr/lib/aarch64-linux-gnu/liblambdasim.so.0',
    '/usr/lib64/liblambdasim.so.0',
    '/usr/lib/liblambdasim.so.0',
  ]);
  assert.equal(dev.sources[3], 'the dynamic loader');
  const mac = load.resolveLibraryPath({}, 'darwin', 'arm64');
  assert.deepEqual(mac.candidates.slice(2), [
    path.join(PACKAGE_DIR, 'prebuilds', 'darwin-arm64', 'liblambdasim.0.dylib'),
    'liblambdasim.0.dylib',
    '/opt/homebrew/lib/liblambdasim.0.dylib',
    '/usr/local/lib/liblambdasim.0.dylib',
  ]);
});

test('a missing LAMBDASIM_PREFIX library names the prefix and searches nothing else', () => {
  const prefix = path.join(__dirname, 'no-such-prefix');
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(PACKAGE_DIR)})`], {
    env: cleanEnv({ LAMBDASIM_PREFIX: prefix }),
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.includes(`not found at ${path.join(prefix, 'lib', 'liblambdasim.so.0')}`), r.stderr);
  assert.ok(r.stderr.includes('LAMBDASIM_PREFIX is set, so nothing else was searched'), r.stderr);
  assert.ok(r.stderr.includes(path.join(prefix, 'lib64', 'liblambdasim.so.0')), r.stderr);
});
