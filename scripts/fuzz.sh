#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 20; CI uses the
# default, `FUZZ_SECONDS=600 scripts/fuzz.sh` is the long run):
#   region_ops  operation sequences through a Region, times up to u64::MAX
#   sim         structured simulations with extreme numbers (arbitrary)
#   scenario    arbitrary text through the scenario check, then a run
#   ffi_calls   arbitrary bytes through the C ABI, under ASan
# The first three run without sanitizer (fast; the core has no unsafe).
# Every target runs even when an earlier one finds something; the script
# fails at the end if any did. A run is a finding when it panics, takes
# more than FUZZ_TIMEOUT seconds on one input (default 10) or more than
# FUZZ_RSS_MB of memory (default 2048). Findings land in
# fuzz/artifacts/<target>/ (see fuzz/README.md for what to do with them).
# Installs the pinned cargo-fuzz when missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-20}
limits=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -max_total_time="$seconds")

if ! cargo fuzz --version 2>/dev/null | grep -q '0\.13\.2'; then
  cargo install --locked --version 0.13.2 cargo-fuzz
fi

failed=()
fuzz() {
  local target=$1
  shift
  echo "== fuzz $target (${seconds} s)"
  if ! "$@"; then
    failed+=("$target")
  fi
}

fuzz region_ops cargo fuzz run -s none --target-dir target/none region_ops -- "${limits[@]}"
fuzz sim cargo fuzz run -s none --target-dir target/none sim -- "${limits[@]}"
fuzz scenario cargo fuzz run -s none --target-dir target/none scenario -- "${limits[@]}" -dict=scenario.dict
# ASan needs -Zsanitizer: the stable toolchain allows it with RUSTC_BOOTSTRAP.
fuzz ffi_calls env RUSTC_BOOTSTRAP=1 cargo fuzz run --target-dir target/asan ffi_calls -- "${limits[@]}"

if ((${#failed[@]} > 0)); then
  echo "fuzzing found problems in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzzing: no findings"
