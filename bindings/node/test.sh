#!/usr/bin/env bash
# Node binding checks, from this directory: install the pinned dependencies
# from the lockfile (npm ci; never --omit=optional: koffi's prebuilt binary
# is an optional dependency) and run every test with node --test.
#
# Assumes the shared library is built (cargo build --release -p lambdasim-ffi
# at the workspace root). In a checkout load.js loads LAMBDASIM_LIB or the
# library under LAMBDASIM_PREFIX when set, else $CARGO_TARGET_DIR/release/
# (relative to the workspace root) or ../../target/release/.
# test/pack.test.js packs the package (scripts/pack.js), installs the
# tarball into an empty project and runs it from there (koffi from the npm
# cache that npm ci fills, else the registry).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

echo "npm ci"
npm ci --no-audit --no-fund
echo "loading the library"
node -e "const l = require('./'); console.log('lambdasim ' + l.version() + ' (C ABI ' + l.abiVersion() + ') from ' + l.LIBRARY_PATH + ', koffi ' + l.koffiVersion)"
echo "node --test"
node --test
