#!/usr/bin/env bash
# Installs what the test command needs on a fresh machine; skips what is
# already there. Safe to run again.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have rustup; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || echo "install-tools: could not add rustfmt/clippy via rustup" >&2
  # The bare-metal target proves the core is no_std; nostd-check/ proves it
  # without a target when this cannot be installed.
  rustup target add thumbv7em-none-eabihf >/dev/null 2>&1 || echo "install-tools: thumbv7em target unavailable; nostd-check alone proves no_std" >&2
fi

for tool in go node npm; do
  if ! have "$tool"; then
    echo "install-tools: $tool is required (Go 1.22+, Node.js 20+ with npm) for the Go and Node bindings" >&2
    exit 1
  fi
done

missing=()
have gcc || missing+=(gcc)
have g++ || missing+=(g++)
have make || missing+=(make)
have valgrind || missing+=(valgrind)
have pkg-config || missing+=(pkg-config)
have cmake || missing+=(cmake)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && have apt-get; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "install-tools: missing ${missing[*]} and cannot apt-get install them" >&2
    exit 1
  fi
fi

# cbindgen, pinned: scripts/gen-header.sh installs it when missing.
