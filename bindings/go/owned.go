package lambdasim

/*
#include "lambdasim.h"
*/
import "C"

import "sync"

// owned is a C handle (a region, a simulation result) guarded for
// concurrent use: calls run under the read lock, close takes the write
// lock, so it waits for calls in flight. h (a pointer to an opaque C type,
// never a Go pointer) is nil once closed.
type owned[P comparable] struct {
	mu sync.RWMutex
	h  P
}

// close frees the handle with free, once; later closes return nil.
func (o *owned[P]) close(op string, free func(P) C.lsim_status) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var none P
	if o.h == none {
		return nil
	}
	st := free(o.h)
	o.h = none
	return statusError(op, st)
}

// call runs f with the live handle, or returns closed (the error for a
// closed handle) without calling C.
func (o *owned[P]) call(op string, closed error, f func(P) C.lsim_status) error {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var none P
	if o.h == none {
		return closed
	}
	return statusError(op, f(o.h))
}
