#!/usr/bin/env bash
# Installs lambdasim into a temporary prefix (scripts/install.sh) and uses it
# the way a C project outside this repository would:
#   1. the installed tree: header, liblambdasim.so.VERSION with SONAME
#      liblambdasim.so.MAJOR and its links, a static archive without debug
#      info or LLVM bitcode, lambdasim.pc, the CMake package;
#   2. bindings/c/example.c, copied to a temporary directory, built with
#      `pkg-config --cflags --libs lambdasim` and run (it needs
#      liblambdasim.so.MAJOR at run time, found through its rpath);
#   3. a Go program in its own module outside the repository (the binding
#      by a replace directive) built with -tags lambdasim_pkgconfig against
#      the installed library, and run;
#   4. the same example built with CMake (find_package(lambdasim) ->
#      lambdasim::lambdasim and lambdasim::lambdasim_static) against the
#      prefix moved elsewhere (the CMake package is relocatable), and run;
#      all three print the same;
#   5. the Node package, copied outside the repository without a prebuilt
#      library, loads the installed one through LAMBDASIM_PREFIX and through
#      the dynamic loader (LD_LIBRARY_PATH), and names every place it
#      searched when it finds none (needs bindings/node/node_modules: run
#      bindings/node/test.sh first, else this part is skipped).
# LSIM_NO_CARGO=1 uses the library already built (cargo build --release -p lambdasim-ffi).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/lambdasim-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
lib="$prefix/lib"
fail() { echo "test-install: FAIL: $*" >&2; exit 1; }

# Only PREFIX decides where files go: a LIBDIR, INCLUDEDIR or DESTDIR left in
# the environment must not send them into the real system.
env -u LIBDIR -u INCLUDEDIR -u DESTDIR "$root/scripts/install.sh" "$prefix"
version="$(PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --modversion lambdasim)"
major="${version%%.*}"

echo "--- 1. the installed tree"
for f in include/lambdasim.h "lib/liblambdasim.so.$version" lib/liblambdasim.a \
    lib/pkgconfig/lambdasim.pc lib/cmake/lambdasim/lambdasimConfig.cmake \
    lib/cmake/lambdasim/lambdasimConfigVersion.cmake; do
    [[ -f "$prefix/$f" ]] || fail "$prefix/$f is missing"
done
[[ "$(readlink "$lib/liblambdasim.so.$major")" == "liblambdasim.so.$version" ]] || fail "liblambdasim.so.$major does not point at liblambdasim.so.$version"
[[ "$(readlink "$lib/liblambdasim.so")" == "liblambdasim.so.$major" ]] || fail "liblambdasim.so does not point at liblambdasim.so.$major"
readelf -d "$lib/liblambdasim.so.$version" | grep "Library soname: \[liblambdasim.so.$major\]" > /dev/null \
    || fail "liblambdasim.so.$version has no SONAME liblambdasim.so.$major"
if readelf -S "$lib/liblambdasim.a" | grep -E '\.debug_info|\.llvmbc' > /dev/null; then
    fail "liblambdasim.a still has debug info or LLVM bitcode"
fi
readelf -Ws "$lib/liblambdasim.a" | grep -E 'FUNC +GLOBAL +DEFAULT +[0-9]+ lsim_abi_version$' > /dev/null \
    || fail "liblambdasim.a does not define lsim_abi_version"
echo "ok: liblambdasim.so.$version (SONAME liblambdasim.so.$major) $(stat -c %s "$lib/liblambdasim.so.$version") bytes, liblambdasim.a $(stat -c %s "$lib/liblambdasim.a") bytes"

app="$tmp/app"
mkdir -p "$app"
cp "$root/bindings/c/example.c" "$app/example.c"

echo "--- 2. pkg-config"
(
    cd "$app"
    export PKG_CONFIG_PATH="$lib/pkgconfig"
    # shellcheck disable=SC2046 # pkg-config's flags are meant to split
    cc -std=c11 -Wall -Wextra -Werror example.c $(pkg-config --cflags --libs lambdasim) \
        -Wl,-rpath,"$(pkg-config --variable=libdir lambdasim)" -o example-pc
    readelf -d example-pc | grep "Shared library: \[liblambdasim.so.$major\]" > /dev/null \
        || fail "example-pc does not need liblambdasim.so.$major"
    ./example-pc > out-pc.txt
)
[[ -s "$app/out-pc.txt" ]] || fail "the pkg-config example printed nothing"
echo "ok: example built with pkg-config --cflags --libs lambdasim and run ($(wc -l < "$app/out-pc.txt") lines)"

echo "--- 3. Go: a program outside the repository, linked through pkg-config"
if ! command -v go > /dev/null 2>&1; then
    fail "go is not installed"
fi
goapp="$tmp/go-app"
mkdir -p "$goapp"
cat > "$goapp/go.mod" <<GOMOD
module example.com/lambdasim-install-check

go 1.22

require lambdasim v0.0.0

replace lambdasim => $root/bindings/go
GOMOD
cat > "$goapp/main.go" <<'GOMAIN'
package main

import (
	"fmt"
	"os"

	"lambdasim"
)

// 100 req/s of 0.5 s each for 10 s: about 50 busy environments (Little's law).
func main() {
	region, err := lambdasim.NewRegion(lambdasim.DefaultRegionConfig())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer region.Close()
	fn, err := region.CreateFunction(0, lambdasim.DefaultFunctionConfig())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for t := uint64(0); t < 10_000_000; t += 10_000 {
		if _, err := region.InvokeFor(t, fn, lambdasim.Handler{DurationUs: 500_000}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	busy, err := region.FunctionBusy(fn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("busy", busy)
}
GOMAIN
(
    cd "$goapp"
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    # Go's build cache ignores pkg-config's answer: key it on the prefix.
    export CGO_CFLAGS="-O2 -g -I$prefix/include"
    export GOFLAGS=-mod=mod
    go build -tags lambdasim_pkgconfig -o app . || fail "go build against the installed library"
    readelf -d app | grep "Shared library: \[liblambdasim.so.$major\]" > /dev/null \
        || fail "the Go program does not need liblambdasim.so.$major"
    out="$(LD_LIBRARY_PATH="$prefix/lib" ./app)" || fail "the Go program failed: $out"
    [[ "$out" =~ ^busy\ (49|50|51)$ ]] || fail "the Go program printed '$out', expected about 50 busy"
)
echo "ok: a Go program outside the repository built with -tags lambdasim_pkgconfig against the installed library and ran"

echo "--- 4. CMake (against the prefix moved to another directory)"
mv "$prefix" "$tmp/moved"
moved="$tmp/moved"
cat > "$app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(lambdasim_install_check C)
find_package(lambdasim 0.1 REQUIRED)
add_executable(example_shared example.c)
target_link_libraries(example_shared PRIVATE lambdasim::lambdasim)
add_executable(example_static example.c)
target_link_libraries(example_static PRIVATE lambdasim::lambdasim_static)
CMAKE
cmake -S "$app" -B "$app/build" -DCMAKE_PREFIX_PATH="$moved" -DCMAKE_BUILD_TYPE=Release > "$app/cmake.log" \
    || { cat "$app/cmake.log"; fail "cmake configure"; }
cmake --build "$app/build" > "$app/build.log" || { cat "$app/build.log"; fail "cmake build"; }
"$app/build/example_shared" > "$app/out-cmake-shared.txt"
"$app/build/example_static" > "$app/out-cmake-static.txt"
cmp "$app/out-pc.txt" "$app/out-cmake-shared.txt" || fail "CMake (shared) and pkg-config builds print differently"
cmp "$app/out-pc.txt" "$app/out-cmake-static.txt" || fail "CMake (static) and pkg-config builds print differently"
if readelf -d "$app/build/example_static" | grep liblambdasim > /dev/null; then
    fail "example_static needs liblambdasim at run time"
fi
mkdir -p "$tmp/app-0.2"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(too_new C)\nfind_package(lambdasim 0.2 REQUIRED)\n' > "$tmp/app-0.2/CMakeLists.txt"
if cmake -S "$tmp/app-0.2" -B "$tmp/app-0.2/build" -DCMAKE_PREFIX_PATH="$moved" > "$tmp/app-0.2/cmake.log" 2>&1; then
    fail "find_package(lambdasim 0.2) accepted $version"
fi
grep "version: $version" "$tmp/app-0.2/cmake.log" > /dev/null || fail "find_package(lambdasim 0.2) failed for another reason: $(cat "$tmp/app-0.2/cmake.log")"
echo "ok: find_package(lambdasim 0.1) -> lambdasim::lambdasim and lambdasim::lambdasim_static built and run; 0.2 is refused"

echo "--- 5. Node: an installed system library"
node_dir="$root/bindings/node"
if [[ ! -d "$node_dir/node_modules/koffi" ]]; then
    echo "skipped: $node_dir/node_modules/koffi is missing (run bindings/node/test.sh first)"
else
    proj="$tmp/node-proj"
    pkg="$proj/node_modules/lambdasim"
    mkdir -p "$pkg"
    cp "$node_dir"/{package.json,index.js,index.mjs,load.js,index.d.ts} "$pkg/"
    ln -s "$node_dir/node_modules/koffi" "$proj/node_modules/koffi"
    check='const l = require("lambdasim"); const r = l.runScenario("seed = 5\nhorizon_s = 70\n[[functions]]\nname = \"api\"\nworkload = { type = \"poisson\", rate_per_s = 20 }\nhandler = { type = \"exponential\", mean_ms = 100 }\n"); console.log(l.LIBRARY_PATH + " " + r.seed); r.close();'
    clean_env=(env -u LAMBDASIM_LIB -u LAMBDASIM_PREFIX -u CARGO_TARGET_DIR -u LD_LIBRARY_PATH)
    out="$(cd "$proj" && "${clean_env[@]}" LAMBDASIM_PREFIX="$moved" node -e "$check")"
    [[ "$out" == "$moved/lib/liblambdasim.so.$major 5" ]] || fail "LAMBDASIM_PREFIX: got '$out'"
    out="$(cd "$proj" && "${clean_env[@]}" LD_LIBRARY_PATH="$moved/lib" node -e "$check")"
    [[ "$out" == "$moved/lib/liblambdasim.so.$version 5" ]] || fail "dynamic loader: got '$out'"
    # With no setting and no prebuilt copy the search ends at the system
    # directories; unless this machine has lambdasim installed, it fails.
    if err="$(cd "$proj" && "${clean_env[@]}" node -e "$check" 2>&1)"; then
        echo "note: a system-wide liblambdasim is installed ($err): the not-found error is not checked"
    else
        for searched in "prebuilds/linux-" "liblambdasim.so.$major via the dynamic loader" \
            "/usr/local/lib/liblambdasim.so.$major" LAMBDASIM_LIB LAMBDASIM_PREFIX; do
            [[ "$err" == *"$searched"* ]] || fail "the not-found error does not name $searched: $err"
        done
    fi
    echo "ok: the Node package loads the installed library via LAMBDASIM_PREFIX and the dynamic loader; the not-found error names what it searched"
fi
echo "test-install: all checks passed"
