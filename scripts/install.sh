#!/usr/bin/env bash
# Installs lambdasim's C library like any other: header, shared library with
# a SONAME, stripped static archive, pkg-config file and CMake package.
#
#   scripts/install.sh PREFIX          (or `make install PREFIX=...`)
#
# Installs, with VERSION from the workspace's Cargo.toml (0.1.0):
#   PREFIX/include/lambdasim.h
#   LIBDIR/liblambdasim.so.VERSION      SONAME liblambdasim.so.MAJOR (ffi/build.rs)
#   LIBDIR/liblambdasim.so.MAJOR -> liblambdasim.so.VERSION
#   LIBDIR/liblambdasim.so -> liblambdasim.so.MAJOR
#   LIBDIR/liblambdasim.a               debug info and LLVM bitcode stripped
#   LIBDIR/pkgconfig/lambdasim.pc
#   LIBDIR/cmake/lambdasim/lambdasimConfig.cmake, lambdasimConfigVersion.cmake
#
# Environment: LIBDIR (default PREFIX/lib), INCLUDEDIR (default
# PREFIX/include), DESTDIR (staged installs: files go under DESTDIR, the
# .pc file still names PREFIX), CARGO_TARGET_DIR (where cargo builds),
# STRIP (default strip), LSIM_NO_CARGO=1 (use the library already built
# instead of running `cargo build --release -p lambdasim-ffi`).
# Linux (ELF) only for now: macOS would need .dylib names.
set -euo pipefail

usage() { echo "usage: $0 PREFIX   (an absolute path, e.g. /usr/local)" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
[[ "$1" == /* ]] || usage
prefix="${1%/}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
libdir="${LIBDIR:-$prefix/lib}"
includedir="${INCLUDEDIR:-$prefix/include}"
destdir="${DESTDIR:-}"
strip_tool="${STRIP:-strip}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
[[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"

if [[ "$(uname -s)" != Linux ]]; then
    echo "error: scripts/install.sh installs ELF shared libraries (Linux); on $(uname -s) link target/release/liblambdasim_ffi.a directly" >&2
    exit 1
fi

# The one version of every crate: [workspace.package] version.
version="$(awk '/^\[workspace\.package\]/{p=1; next} /^\[/{p=0} p && /^version *=/{gsub(/.*= *"|".*/, ""); print; exit}' "$root/Cargo.toml")"
if [[ ! "$version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
    echo "error: cannot read [workspace.package] version from $root/Cargo.toml (got '$version')" >&2
    exit 1
fi
major="${BASH_REMATCH[1]}"
minor="${BASH_REMATCH[2]}"

if [[ "${LSIM_NO_CARGO:-}" != 1 ]]; then
    cargo build --release -p lambdasim-ffi --locked --manifest-path "$root/Cargo.toml"
fi
so_built="$target_dir/release/liblambdasim_ffi.so"
a_built="$target_dir/release/liblambdasim_ffi.a"
for f in "$so_built" "$a_built" "$root/include/lambdasim.h"; do
    if [[ ! -f "$f" ]]; then
        echo "error: $f is missing; build it first: cargo build --release -p lambdasim-ffi" >&2
        exit 1
    fi
done
soname="liblambdasim.so.$major"
if ! readelf -d "$so_built" | grep "Library soname: \[$soname\]" > /dev/null; then
    echo "error: $so_built has no SONAME $soname (ffi/build.rs sets it): rebuild with cargo build --release -p lambdasim-ffi" >&2
    exit 1
fi

inc_dst="$destdir$includedir"
lib_dst="$destdir$libdir"
pc_dst="$lib_dst/pkgconfig"
cmake_dst="$lib_dst/cmake/lambdasim"
install -d "$inc_dst" "$lib_dst" "$pc_dst" "$cmake_dst"

install -m 644 "$root/include/lambdasim.h" "$inc_dst/lambdasim.h"

# Strip a copy, then move it in place: a reader never sees a half-written file.
install -m 755 "$so_built" "$lib_dst/.liblambdasim.so.$version.tmp"
"$strip_tool" --strip-debug "$lib_dst/.liblambdasim.so.$version.tmp"
mv -f "$lib_dst/.liblambdasim.so.$version.tmp" "$lib_dst/liblambdasim.so.$version"
ln -sfn "liblambdasim.so.$version" "$lib_dst/$soname"
ln -sfn "$soname" "$lib_dst/liblambdasim.so"

# The archive's objects carry debug info and, for LTO, the LLVM bitcode of
# every crate (.llvmbc): 49 MB a C linker never reads. Machine code and
# symbols stay.
install -m 644 "$a_built" "$lib_dst/.liblambdasim.a.tmp"
"$strip_tool" --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd "$lib_dst/.liblambdasim.a.tmp"
mv -f "$lib_dst/.liblambdasim.a.tmp" "$lib_dst/liblambdasim.a"

# Templates from cmake/: @NAME@ replaced. The CMake files find the header
# and library relative to themselves, so the tree stays relocatable.
cmake_dir="$libdir/cmake/lambdasim"
rel_includedir="$(realpath -m --relative-to="$cmake_dir" "$includedir")"
rel_libdir="$(realpath -m --relative-to="$cmake_dir" "$libdir")"
sizeof_void_p="$(getconf LONG_BIT)"
sizeof_void_p=$((sizeof_void_p / 8))
render() {
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@LIBDIR@|$libdir|g" -e "s|@INCLUDEDIR@|$includedir|g" \
        -e "s|@VERSION@|$version|g" -e "s|@VERSION_MAJOR@|$major|g" -e "s|@VERSION_MINOR@|$minor|g" \
        -e "s|@SOVERSION@|$major|g" -e "s|@REL_INCLUDEDIR@|$rel_includedir|g" \
        -e "s|@REL_LIBDIR@|$rel_libdir|g" -e "s|@SIZEOF_VOID_P@|$sizeof_void_p|g" "$1" > "$2"
    chmod 644 "$2"
}
render "$root/cmake/lambdasim.pc.in" "$pc_dst/lambdasim.pc"
render "$root/cmake/lambdasimConfig.cmake.in" "$cmake_dst/lambdasimConfig.cmake"
render "$root/cmake/lambdasimConfigVersion.cmake.in" "$cmake_dst/lambdasimConfigVersion.cmake"

echo "installed lambdasim $version into $destdir$prefix:"
echo "  $includedir/lambdasim.h"
echo "  $libdir/liblambdasim.so.$version (SONAME $soname), $soname, liblambdasim.so, liblambdasim.a"
echo "  $libdir/pkgconfig/lambdasim.pc, $cmake_dir/lambdasimConfig.cmake"
