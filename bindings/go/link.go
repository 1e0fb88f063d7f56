//go:build !lambdasim_external && !lambdasim_pkgconfig

package lambdasim

// How the C library is linked: three ways, chosen by build tag.
//
//   - default (this file): the in-tree build of a lambdasim checkout,
//     ../../target/release/liblambdasim_ffi.a, by path: `-llambdasim_ffi`
//     would pick the shared library when both are present.
//   - lambdasim_pkgconfig (link_pkgconfig.go): an installed library
//     (scripts/install.sh PREFIX or `make install`), found by pkg-config
//     through lambdasim.pc; set PKG_CONFIG_PATH=PREFIX/lib/pkgconfig when
//     PREFIX is not a system prefix.
//   - lambdasim_external: no flags at all; CGO_LDFLAGS names the archive
//     (when CARGO_TARGET_DIR puts it elsewhere).

/*
#cgo LDFLAGS: ${SRCDIR}/../../target/release/liblambdasim_ffi.a -lm -ldl -lpthread
*/
import "C"
