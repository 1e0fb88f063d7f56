//go:build !lambdasim_external

package lambdasim

// The static library, by path: `-llambdasim_ffi` would pick the shared
// library when both are present. Build with the tag lambdasim_external to
// leave this out and name the archive in CGO_LDFLAGS instead (when
// CARGO_TARGET_DIR puts it elsewhere).

/*
#cgo LDFLAGS: ${SRCDIR}/../../target/release/liblambdasim_ffi.a -lm -ldl -lpthread
*/
import "C"
