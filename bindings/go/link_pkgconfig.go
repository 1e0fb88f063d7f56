//go:build lambdasim_pkgconfig && !lambdasim_external

package lambdasim

// Links the installed library through pkg-config (lambdasim.pc, written by
// scripts/install.sh): its -I and -L flags and -llambdasim, which the
// linker resolves to liblambdasim.so (SONAME liblambdasim.so.0), so the
// program needs that library at run time (a system prefix, ldconfig, an
// rpath or LD_LIBRARY_PATH). Build with `-tags lambdasim_pkgconfig` and,
// for a prefix pkg-config does not search, PKG_CONFIG_PATH=PREFIX/lib/pkgconfig.

/*
#cgo pkg-config: lambdasim
*/
import "C"
