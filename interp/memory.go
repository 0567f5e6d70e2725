package interp

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
)

// MemoryError is the cancel cause of a run whose heap passed its cap.
type MemoryError struct{ Heap, Limit int64 }

func (e *MemoryError) Error() string {
	return fmt.Sprintf("out of memory: vrun's heap reached %s, over its cap of %s (raise the cap with VRUN_MAX_MEMORY, e.g. VRUN_MAX_MEMORY=16G)",
		env.FormatBytes(e.Heap), env.FormatBytes(e.Limit))
}

const heapMetric = "/memory/classes/heap/objects:bytes"

// HeapBytes is the memory held by heap objects, live or not yet collected.
func HeapBytes() int64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// WatchMemory samples the heap every interval until ctx ends. When it is
// over limit even after a collection, it calls stop with a *MemoryError
// (the run's cancel: Starlark, jq and commands stop with that message);
// if the heap still grows past one and a half times limit, something
// ignores the cancel and abort is called, so vrun ends rather than the
// kernel killing a process of its choosing. Callers also set
// debug.SetMemoryLimit(limit) so the collector works harder near it.
func WatchMemory(ctx context.Context, limit int64, interval time.Duration, stop func(error), abort func(*MemoryError)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	stopped, done := false, ctx.Done()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		heap := HeapBytes()
		if heap <= limit {
			if stopped {
				return // the cancel took effect
			}
			continue
		}
		runtime.GC()
		if heap = HeapBytes(); heap <= limit {
			continue
		}
		err := &MemoryError{Heap: heap, Limit: limit}
		if !stopped {
			// Our own cancel ends ctx: keep watching that it takes effect.
			stopped, done = true, nil
			stop(err)
			continue
		}
		if heap > limit+limit/2 {
			abort(err)
			return
		}
	}
}
