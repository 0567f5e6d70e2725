package lxc_test

import (
	"context"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// drop are the fields that differ by nature between two runs: process
// ids, resource use, snapshot times, the host end of a veth.
var drop = []string{"pid", "memory", "kmem", "cpu_ns", "blkio", "ram", "links", "time"}

// scenario runs testdata/scenario.star.txt's main with args on ex (nil:
// a fresh simulated host) and returns its result as normalized JSON.
func scenario(t *testing.T, ex exec.Executor, args ...string) string {
	t.Helper()
	return scenarioOn(t, ex, nil, args...)
}

// scenarioOn is scenario with the simulated host's commands in setup run
// first (the bridge a real test makes with ip).
func scenarioOn(t *testing.T, ex exec.Executor, setup [][]string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := &logWriter{t: t}
	o := interp.Options{Ctx: ctx, Stdout: w, Stderr: w, Exec: ex}
	if ex == nil {
		o.SimHost = startest.SimHost(t)
		o.Clock = env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)
		for _, argv := range setup {
			if r, err := o.SimHost.Run(ctx, exec.Cmd{Argv: argv}); err != nil || r.Code != 0 {
				t.Fatalf("%v: %v %s", argv, err, r.Stderr)
			}
		}
	}
	res, err := interp.MustNew(o).RunRecipe("testdata/scenario.star.txt", args)
	if err != nil {
		t.Fatalf("scenario: %s", interp.Render(err))
	}
	return exectest.Normalized(t, starlark.StringDict{"out": res}, drop, "out")
}

type logWriter struct{ t *testing.T }

func (w *logWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", p)
	return len(p), nil
}

func TestScenarioSim(t *testing.T) {
	got := scenario(t, nil, "--lxcpath", "/srv/lxc")
	t.Log(got)
}
