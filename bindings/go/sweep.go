package lambdasim

/*
#include <stdlib.h>
#include "lambdasim.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// SweepOutput is what [RunSweep] returns.
type SweepOutput uint32

// Sweep outputs: the formats of `lambdasim sweep --format`.
const (
	// SweepText is a line per combination (means ± 95 % half-widths) and
	// the pick. The default.
	SweepText SweepOutput = C.LSIM_SWEEP_OUTPUT_TEXT
	// SweepCSV is one row per combination and replication.
	SweepCSV SweepOutput = C.LSIM_SWEEP_OUTPUT_CSV
	// SweepJSON holds the rows, each combination's intervals and the pick.
	SweepJSON SweepOutput = C.LSIM_SWEEP_OUTPUT_JSON
)

// SweepOptions are the flags of `lambdasim sweep`.
type SweepOptions struct {
	// Sets are the `--set` arguments: "PATH=V1,V2,..." or
	// "PATH=FROM..TO:STEP", e.g. "functions[0].reserved=10..100:10". At
	// least one; the sweep runs every combination.
	Sets []string
	// Output is SweepText (default), SweepCSV or SweepJSON.
	Output SweepOutput
	// Replications of every combination: 0 the scenario's. Replication r
	// runs with seed + r.
	Replications uint32
	// ShardIndex and ShardCount: with ShardCount above 0, run only the
	// combinations c with c % ShardCount == ShardIndex.
	ShardIndex, ShardCount uint32
	// Threads: 0 one per core. The output is the same for any.
	Threads uint32
	// Pick is the `--pick` rule, e.g. "min cost where throttle_probability < 0.001".
	Pick string
	// Format is FormatAuto (default), FormatTOML or FormatJSON.
	Format ScenarioFormat
	// Name is the scenario's name in the output (the command puts the
	// file's path there); "" means "(scenario)".
	Name string
}

// cText copies s into C memory (NULL for ""); free it with C.free.
func cText(s string) (*C.char, C.size_t) {
	if s == "" {
		return nil, 0
	}
	return C.CString(s), C.size_t(len(s))
}

// RunSweep runs a scenario over every combination of opts.Sets and returns
// what `lambdasim sweep` prints for the same scenario and flags, byte for
// byte. It blocks until every run ends. An invalid sweep is an [*Error]
// whose Detail is the command's message.
func RunSweep(text string, opts SweepOptions) (string, error) {
	if v := LibraryABIVersion(); v != ABIVersion {
		return "", fmt.Errorf("%w: library %d, binding %d", ErrABIMismatch, v, ABIVersion)
	}
	for _, s := range opts.Sets {
		if strings.ContainsAny(s, "\r\n") {
			return "", &Error{Op: "RunSweep", Code: StatusInvalidArgument, Detail: "a set spans lines: " + s}
		}
	}
	// C memory only: a struct passed to C may hold no Go pointer.
	var o C.lsim_sweep_options
	C.lsim_sweep_options_default(&o)
	o.output = C.uint32_t(opts.Output)
	o.replications = C.uint32_t(opts.Replications)
	o.shard_index, o.shard_count = C.uint32_t(opts.ShardIndex), C.uint32_t(opts.ShardCount)
	o.threads = C.uint32_t(opts.Threads)
	o.sets, o.sets_len = cText(strings.Join(opts.Sets, "\n"))
	o.pick, o.pick_len = cText(opts.Pick)
	o.name, o.name_len = cText(opts.Name)
	defer C.free(unsafe.Pointer(o.sets))
	defer C.free(unsafe.Pointer(o.pick))
	defer C.free(unsafe.Pointer(o.name))
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	var h *C.lsim_sweep_result
	st := C.lsim_sweep_run(ctext, C.size_t(len(text)), C.uint32_t(opts.Format), &o, &h)
	if err := statusError("RunSweep", st); err != nil {
		if e, ok := err.(*Error); ok && (e.Code == StatusInvalidScenario || e.Code == StatusInvalidArgument) {
			e.Detail = sweepCheck(ctext, len(text), opts.Format, &o)
		}
		return "", err
	}
	defer C.lsim_sweep_result_free(h)
	var need C.size_t
	C.lsim_sweep_result_output(h, nil, 0, &need)
	buf := (*C.char)(C.malloc(need))
	if buf == nil {
		return "", &Error{Op: "RunSweep", Code: StatusInternal}
	}
	defer C.free(unsafe.Pointer(buf))
	if err := statusError("RunSweep", C.lsim_sweep_result_output(h, buf, need, &need)); err != nil {
		return "", err
	}
	return C.GoStringN(buf, C.int(need-1)), nil
}

// sweepCheck returns lsim_sweep_check's message, growing its buffer as asked.
func sweepCheck(ctext *C.char, n int, format ScenarioFormat, o *C.lsim_sweep_options) string {
	size := C.size_t(1024)
	for {
		buf := (*C.char)(C.malloc(size))
		if buf == nil {
			return ""
		}
		var need C.size_t
		st := C.lsim_sweep_check(ctext, C.size_t(n), C.uint32_t(format), o, buf, size, &need)
		if Status(st) == StatusBufferTooSmall && need > size {
			C.free(unsafe.Pointer(buf))
			size = need
			continue
		}
		msg := ""
		if Status(st) == StatusInvalidScenario {
			msg = C.GoString(buf)
		}
		C.free(unsafe.Pointer(buf))
		return msg
	}
}
