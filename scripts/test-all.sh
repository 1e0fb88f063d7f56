#!/usr/bin/env bash
# The project's whole test suite: the README's test command and what CI runs.
# Each step runs as its own statement so a failure stops the run (set -e is
# ignored inside a function called as `f || ...` and for non-final members
# of `a && b`); the last line counts the steps.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target_dir
passed=0

step() {
  echo
  echo "=== $* ==="
}
ok() { passed=$((passed + 1)); }

step "install tools"
scripts/install-tools.sh
ok

step "cargo fmt --check"
cargo fmt --all -- --check
(cd nostd-check && cargo fmt -- --check)
(cd fuzz && cargo fmt -- --check)
ok

step "clippy -D warnings (every crate, benches included)"
cargo clippy --workspace --all-targets --locked -- -D warnings
ok

step "rustdoc -D warnings"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --locked
ok

step "Rust tests (unit, vectors, property tests, seeded simulations, CLI)"
cargo test --workspace --exclude lambdasim-bench --locked
ok

step "analytic checks of the simulator (release: Erlang-B, Little's law, seed stability)"
cargo test --release -p lambdasim-tests --test analytic --locked
ok

step "no_std proof"
(cd nostd-check && cargo build --locked)
if rustup target list --installed 2>/dev/null | grep -qx thumbv7em-none-eabihf; then
  cargo build -p lambdasim --target thumbv7em-none-eabihf --locked
else
  echo "thumbv7em-none-eabihf not installed: the nostd-check build above is the proof"
fi
ok

step "header is fresh"
scripts/gen-header.sh --check
ok

step "release build of the C ABI"
cargo build --release -p lambdasim-ffi --locked
ok

step "C tests: header as C11/C++17, plain, ASan+UBSan, valgrind, example"
make -C bindings/c all LSIM_NO_CARGO=1
ok

step "Go binding: go vet, go test -race"
bindings/go/test.sh
ok

step "Node binding: npm ci, node --test"
bindings/node/test.sh
ok

step "install into a temporary prefix: C via pkg-config and CMake, Node from the installed library"
LSIM_NO_CARGO=1 scripts/test-install.sh
ok

step "fuzzing: four targets (fuzz/README.md), ${FUZZ_SECONDS:-20} s each"
scripts/fuzz.sh
ok

echo
echo "steps: $passed passed, 0 failed"
