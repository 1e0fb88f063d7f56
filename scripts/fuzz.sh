#!/usr/bin/env bash
# Runs both fuzz targets briefly (FUZZ_SECONDS each, default 30): the rules
# without sanitizer (fast, the core has no unsafe), the C ABI under ASan.
# Installs the pinned cargo-fuzz when missing. Findings land in
# fuzz/artifacts/<target>/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-30}

if ! cargo fuzz --version 2>/dev/null | grep -q '0\.13\.2'; then
  cargo install --locked --version 0.13.2 cargo-fuzz
fi

cargo fuzz run -s none --target-dir target/none region_ops -- -max_total_time="$seconds"
# ASan needs -Zsanitizer: the stable toolchain allows it with RUSTC_BOOTSTRAP (TOOLCHAIN.md).
RUSTC_BOOTSTRAP=1 cargo fuzz run --target-dir target/asan ffi_calls -- -max_total_time="$seconds"
