#!/usr/bin/env bash
# Go binding checks: go vet and go test -race, from this directory.
#
# Assumes the static library is built (cargo build --release -p lambdasim-ffi).
# It is linked from ../../target/release/liblambdasim_ffi.a, or, when
# CARGO_TARGET_DIR is set, from $CARGO_TARGET_DIR/release/ (a relative
# CARGO_TARGET_DIR is taken relative to the repository root): then the build
# tag lambdasim_external drops the default path and CGO_LDFLAGS names the
# archive.
#
# Then the same tests against an installed library: scripts/install.sh puts
# it into target/go-pkgconfig-prefix, and `-tags lambdasim_pkgconfig` links it
# through pkg-config (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig); the test binary
# must need liblambdasim.so.0 and runs with LD_LIBRARY_PATH=PREFIX/lib.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

export GOFLAGS=-mod=mod
tags=()
if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    target_dir="$CARGO_TARGET_DIR"
    if [[ "$target_dir" != /* ]]; then
        target_dir="$root/$target_dir"
    fi
    lib="$target_dir/release/liblambdasim_ffi.a"
    export CGO_LDFLAGS="$lib -lm -ldl -lpthread"
    tags=(-tags lambdasim_external)
else
    lib="$root/target/release/liblambdasim_ffi.a"
fi
if [[ ! -f "$lib" ]]; then
    echo "error: $lib is missing; build it first: cargo build --release -p lambdasim-ffi" >&2
    exit 1
fi

echo "go vet ./... (library: $lib)"
go vet "${tags[@]}" ./...
echo "go test -race -count=1 ./..."
# -count=1: Go's test cache does not notice a rebuilt .a.
go test "${tags[@]}" -race -count=1 ./...

echo "go test against an installed library (pkg-config, -tags lambdasim_pkgconfig)"
# Go's build cache keeps the flags pkg-config gave when the package was
# first built: neither PKG_CONFIG_PATH nor pkg-config's answer is part of its
# key, so a build against another prefix links the old -L directory. CGO_CFLAGS
# is part of the key: naming the prefix's include directory there (harmless:
# pkg-config adds the same -I) keys the cached package on the prefix. The
# prefix is fixed under the target directory and reinstalled every run, so
# the cache entry is reused.
if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    prefix="$target_dir/go-pkgconfig-prefix"
else
    prefix="$root/target/go-pkgconfig-prefix"
fi
rm -rf "$prefix"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/lambdasim-go.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
env -u LIBDIR -u INCLUDEDIR -u DESTDIR LSIM_NO_CARGO=1 "$root/scripts/install.sh" "$prefix" > /dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# The in-tree archive named above (when CARGO_TARGET_DIR is set) would be
# linked statically beside pkg-config's -llambdasim: drop it.
unset CGO_LDFLAGS
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -I$prefix/include"
go vet -tags lambdasim_pkgconfig ./...
go test -tags lambdasim_pkgconfig -c -o "$tmp/lambdasim.test" .
if ! readelf -d "$tmp/lambdasim.test" | grep "Shared library: \[liblambdasim.so.0\]" > /dev/null; then
    echo "error: the pkg-config build does not link liblambdasim.so.0 from $prefix" >&2
    exit 1
fi
LD_LIBRARY_PATH="$prefix/lib" "$tmp/lambdasim.test" -test.count=1
