package interp_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/interp"
)

// The watchdog cancels the run when the heap passes its cap, and aborts
// when the heap keeps growing after that. The cap is a few MiB above the
// test's own heap: nothing here allocates more than about 200 MiB.
func TestWatchMemory(t *testing.T) {
	limit := interp.HeapBytes() + 64<<20
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	aborted := make(chan *interp.MemoryError, 1)
	go interp.WatchMemory(ctx, limit, time.Millisecond, cancel, func(err *interp.MemoryError) { aborted <- err })

	var hold [][]byte
	// grow allocates until the heap passes to, or until done closes. The
	// heap also counts other tests' garbage, which the watchdog's GC may
	// free: keep allocating until the watchdog has acted, within a bound.
	grow := func(to int64, done <-chan struct{}) {
		for interp.HeapBytes() <= to || done != nil {
			select {
			case <-done:
				return
			default:
			}
			if int64(len(hold))*(4<<20) > 2*limit+(512<<20) {
				t.Fatalf("the watchdog did not act: %d bytes held, limit %d", len(hold)*(4<<20), limit)
			}
			b := make([]byte, 4<<20)
			for i := range b {
				b[i] = 1 // touch it: the heap is real
			}
			hold = append(hold, b)
		}
	}
	grow(limit, ctx.Done())
	var me *interp.MemoryError
	if !errors.As(context.Cause(ctx), &me) || me.Limit != limit || me.Heap <= limit {
		t.Fatalf("cause %v, want a MemoryError over %d", context.Cause(ctx), limit)
	}
	if want := "out of memory: vrun's heap reached "; len(me.Error()) < len(want) || me.Error()[:len(want)] != want {
		t.Errorf("message %q", me.Error())
	}
	// Something ignores the cancel and keeps allocating: abort.
	abortedOrDone := make(chan struct{})
	var got *interp.MemoryError
	go func() { got = <-aborted; close(abortedOrDone) }()
	grow(limit+limit/2, abortedOrDone)
	<-abortedOrDone
	if err := got; err.Heap <= limit+limit/2 {
		t.Errorf("aborted at %d, want past %d", err.Heap, limit+limit/2)
	}
}
