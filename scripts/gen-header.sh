#!/usr/bin/env bash
# Generates include/lambdasim.h from ffi/ with a pinned cbindgen.
#
#   scripts/gen-header.sh          regenerate include/lambdasim.h
#   scripts/gen-header.sh --check  fail (exit 1, with a diff) when the committed
#                                  header differs from a fresh generation
#
# cbindgen 0.29.4 is installed with `cargo install --locked` only when the one
# on PATH (or in $CARGO_HOME/bin) is not that version: output differs between
# point releases. `cbindgen --verify` is not used: it rewrites the header even
# when it fails.
set -euo pipefail

CBINDGEN_VERSION="0.29.4"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HEADER="$ROOT/include/lambdasim.h"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

check=0
case "${1:-}" in
    "") ;;
    --check) check=1 ;;
    *)
        echo "usage: $0 [--check]" >&2
        exit 2
        ;;
esac

have="$(cbindgen --version 2>/dev/null || true)"
if [[ "$have" != "cbindgen $CBINDGEN_VERSION" ]]; then
    echo "installing cbindgen $CBINDGEN_VERSION (found: ${have:-none})" >&2
    cargo install --locked --version "$CBINDGEN_VERSION" cbindgen
fi
have="$(cbindgen --version)"
if [[ "$have" != "cbindgen $CBINDGEN_VERSION" ]]; then
    echo "error: expected cbindgen $CBINDGEN_VERSION, got '$have'" >&2
    exit 1
fi

tmp="$(mktemp "${TMPDIR:-/tmp}/lambdasim.h.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

cd "$ROOT"
cbindgen --quiet --config ffi/cbindgen.toml --crate lambdasim-ffi --output "$tmp" ffi

if [[ "$check" -eq 1 ]]; then
    if [[ ! -f "$HEADER" ]]; then
        echo "error: $HEADER is missing; run scripts/gen-header.sh" >&2
        exit 1
    fi
    if ! diff -u "$HEADER" "$tmp"; then
        echo "error: include/lambdasim.h is stale; run scripts/gen-header.sh and commit it" >&2
        exit 1
    fi
    echo "include/lambdasim.h is up to date"
else
    mkdir -p "$(dirname "$HEADER")"
    cp "$tmp" "$HEADER"
    echo "wrote include/lambdasim.h"
fi
