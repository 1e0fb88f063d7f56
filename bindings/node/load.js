'use strict';
/**
 * Finding and loading lambdasim's shared library (the C ABI) for index.js.
 *
 * Searched in this order; the first that exists is loaded:
 *   1. `LAMBDASIM_LIB`: that file and nothing else.
 *   2. `LAMBDASIM_PREFIX`: an install prefix (scripts/install.sh PREFIX):
 *      `PREFIX/lib/liblambdasim.so.<major>` (or lib64/), and nothing else.
 *   3. Inside a lambdasim checkout (this package is its bindings/node):
 *      the workspace's release build, `$CARGO_TARGET_DIR/release` (a
 *      relative one is taken relative to the workspace root) or
 *      `target/release`. It comes before the prebuilt and system copies so
 *      a developer always runs what they just built.
 *   4. The prebuilt copy in the package: `prebuilds/<platform>-<arch>/`
 *      (npm run pack puts the host's there).
 *   5. An installed system library: `liblambdasim.so.<major>` through the
 *      dynamic loader (LD_LIBRARY_PATH, ld.so.cache), then in the common
 *      prefixes (/usr/local/lib, /usr/lib/<multiarch>, /usr/lib64,
 *      /usr/lib; /opt/homebrew/lib on macOS).
 * An explicit setting (1, 2) never falls through to a guess. When nothing
 * is found the error lists every place searched.
 */

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

const PACKAGE_DIR = __dirname;
const WORKSPACE_ROOT = path.resolve(PACKAGE_DIR, '..', '..');
/** The library's major version, the one in its SONAME: this package's. */
const LIBRARY_MAJOR = require('./package.json').version.split('.')[0];

/** True when this package is bindings/node of a lambdasim checkout. */
function inCheckout(root = WORKSPACE_ROOT) {
  return fs.existsSync(path.join(root, 'ffi', 'Cargo.toml')) && fs.existsSync(path.join(root, 'include', 'lambdasim.h'));
}

/** File names of cargo's build in target/release. */
function libraryFileNames(platform = process.platform) {
  if (platform === 'darwin') return ['liblambdasim_ffi.dylib', 'liblambdasim_ffi.so'];
  if (platform === 'win32') return ['lambdasim_ffi.dll'];
  return ['liblambdasim_ffi.so', 'liblambdasim_ffi.dylib'];
}

/** The installed library's run-time name (its SONAME on ELF systems). */
function installedFileName(platform = process.platform) {
  if (platform === 'darwin') return `liblambdasim.${LIBRARY_MAJOR}.dylib`;
  if (platform === 'win32') return 'lambdasim.dll';
  return `liblambdasim.so.${LIBRARY_MAJOR}`;
}

/** The directory of the prebuilt library inside the package. */
function prebuildDir(platform = process.platform, arch = process.arch) {
  return path.join(PACKAGE_DIR, 'prebuilds', `${platform}-${arch}`);
}

const MULTIARCH = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', arm: 'arm-linux-gnueabihf', ia32: 'i386-linux-gnu' };

/** Common library directories of installed software, most specific first. */
function systemDirs(platform = process.platform, arch = process.arch) {
  if (platform === 'darwin') return ['/opt/homebrew/lib', '/usr/local/lib'];
  if (platform === 'win32') return [];
  const dirs = ['/usr/local/lib', '/usr/local/lib64'];
  if (MULTIARCH[arch]) dirs.push(`/usr/lib/${MULTIARCH[arch]}`);
  return dirs.concat(['/usr/lib64', '/usr/lib']);
}

/**
 * Where the library is looked for: `{ path, candidates, fromEnv, setting, sources }`.
 * `candidates` are absolute paths, except a bare file name, which is handed
 * to the dynamic loader; `sources[i]` says where `candidates[i]` comes from.
 * `path` is the first candidate that exists as a file, else the first one.
 * `fromEnv` is true when a setting chose the library; `setting` names it
 * (`'LAMBDASIM_LIB'` or `'LAMBDASIM_PREFIX'`, else `null`).
 */
function resolveLibraryPath(env = process.env, platform = process.platform, arch = process.arch) {
  const candidates = [];
  const sources = [];
  const add = (p, source) => {
    candidates.push(p);
    sources.push(source);
  };
  let setting = null;
  if (env.LAMBDASIM_LIB) {
    setting = 'LAMBDASIM_LIB';
    add(path.resolve(env.LAMBDASIM_LIB), 'LAMBDASIM_LIB');
  } else if (env.LAMBDASIM_PREFIX) {
    setting = 'LAMBDASIM_PREFIX';
    const prefix = path.resolve(env.LAMBDASIM_PREFIX);
    for (const dir of ['lib', 'lib64']) add(path.join(prefix, dir, installedFileName(platform)), 'LAMBDASIM_PREFIX');
  } else {
    if (inCheckout()) {
      const targetDir = env.CARGO_TARGET_DIR
        ? path.resolve(WORKSPACE_ROOT, env.CARGO_TARGET_DIR)
        : path.join(WORKSPACE_ROOT, 'target');
      const source = env.CARGO_TARGET_DIR ? 'the workspace build (CARGO_TARGET_DIR)' : 'the workspace build';
      for (const f of libraryFileNames(platform)) add(path.join(targetDir, 'release', f), source);
    }
    add(path.join(prebuildDir(platform, arch), installedFileName(platform)), 'the prebuilt copy in the package');
    add(installedFileName(platform), 'the dynamic loader');
    for (const dir of systemDirs(platform, arch)) add(path.join(dir, installedFileName(platform)), 'a system library');
  }
  const found = candidates.find((p) => path.isAbsolute(p) && fs.existsSync(p));
  return { path: found ?? candidates[0], candidates, fromEnv: setting !== null, setting, sources };
}

const BUILD_HINT =
  'install it (scripts/install.sh PREFIX in a lambdasim checkout, then set LAMBDASIM_PREFIX=PREFIX ' +
  'unless PREFIX is a system prefix), build it with `cargo build --release -p lambdasim-ffi` in the ' +
  `workspace root${inCheckout() ? ` (${WORKSPACE_ROOT})` : ''}, or set LAMBDASIM_LIB to the library's path`;

/** The file the dynamic loader mapped for a library loaded by name (Linux), else `name`. */
function mappedPath(name) {
  try {
    const maps = fs.readFileSync('/proc/self/maps', 'utf8');
    const stem = name.replace(/\.so\..*$/, '.so');
    for (const line of maps.split('\n')) {
      const file = line.slice(line.indexOf('/'));
      if (line.includes('/') && path.basename(file).startsWith(stem)) return file;
    }
  } catch {
    // No /proc: the name is all we know.
  }
  return name;
}

/**
 * Loads the first library found: `{ lib, path }`. Throws an Error listing
 * every place searched when none is there, or naming the file when it is
 * there but cannot be loaded.
 */
function loadLibrary(env = process.env) {
  const where = resolveLibraryPath(env);
  const tried = [];
  for (const [i, candidate] of where.candidates.entries()) {
    if (!path.isAbsolute(candidate)) {
      try {
        return { lib: koffi.load(candidate), path: mappedPath(candidate) };
      } catch (e) {
        tried.push(`${candidate} via ${where.sources[i]} (${e.message.split('\n')[0]})`);
        continue;
      }
    }
    if (!fs.existsSync(candidate)) {
      tried.push(`${candidate} (${where.sources[i]})`);
      continue;
    }
    try {
      return { lib: koffi.load(candidate), path: candidate };
    } catch (e) {
      throw new Error(`lambdasim: cannot load the shared library ${candidate}: ${e.message}; ${BUILD_HINT}`, {
        cause: e,
      });
    }
  }
  if (where.fromEnv) {
    throw new Error(
      `lambdasim: shared library not found at ${where.path} (${where.setting} is set, so nothing else was ` +
        `searched; looked at ${where.candidates.join(', ')}); ${BUILD_HINT}`,
    );
  }
  throw new Error(`lambdasim: shared library not found; searched, in order: ${tried.join('; ')}; ${BUILD_HINT}`);
}

module.exports = {
  BUILD_HINT,
  LIBRARY_MAJOR,
  WORKSPACE_ROOT,
  inCheckout,
  installedFileName,
  libraryFileNames,
  loadLibrary,
  prebuildDir,
  resolveLibraryPath,
  systemDirs,
};
