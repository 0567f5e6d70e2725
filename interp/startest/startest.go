// Package startest runs vrun's Starlark test files (*.star with assert.*)
// under `go test`: each file in a fresh simulated world, as a subtest.
package startest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"go.starlark.net/starlarktest"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// Options tune a test run.
type Options struct {
	// Setup seeds the simulated host of each file (VGs, files, ...).
	Setup func(h *sim.Host)
	// Speed of the simulated clock; 0 means 1e6 (a 10-minute job in under a
	// millisecond).
	Speed float64
	// Real runs the files on this machine instead of the simulator.
	Real bool
}

// Run runs every file matching pattern (doublestar glob, relative to the
// package directory) as a parallel subtest.
func Run(t *testing.T, pattern string, o Options) {
	t.Helper()
	files, err := doublestar.FilepathGlob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no test files match %s", pattern)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			RunFile(t, file, o)
		})
	}
}

// RunFile runs one test file and reports failures to t.
func RunFile(t *testing.T, file string, o Options) *interp.Interp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := &testWriter{t: t}
	opts := interp.Options{Ctx: ctx, Stdout: w, Stderr: w, Yes: false}
	if !o.Real {
		h := SimHost(t)
		if o.Setup != nil {
			h.WithLock(o.Setup)
		}
		speed := o.Speed
		if speed == 0 {
			speed = 1e6
		}
		opts.SimHost = h
		opts.Clock = env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), speed)
	}
	in := interp.MustNew(opts)
	assert, err := starlarktest.LoadAssertModule()
	if err != nil {
		t.Fatal(err)
	}
	in.Predeclared["assert"] = assert["assert"]
	th := in.Thread(file)
	starlarktest.SetReporter(th, t)
	if _, err := in.ExecFile(th, file, nil); err != nil {
		t.Errorf("%s", interp.Render(err))
	}
	return in
}

// testWriter sends a file's print() output to the test log.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}

// SimHost returns a fresh simulated host with every module's fakes: the one
// helper tests use to build a world.
func SimHost(t testing.TB) *sim.Host {
	t.Helper()
	h, err := builtins.NewSimHost(builtins.All())
	if err != nil {
		t.Fatal(err)
	}
	return h
}
