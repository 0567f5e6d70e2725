package lvm

import (
	"context"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/fs"
	"github.com/vrun-dev/vrun/builtins/fs/fssim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// simHost is a simulated host with the lvm and fs fakes, seeded with w.
func simHost(w lvmsim.World) *sim.Host {
	h := sim.New()
	lvmsim.Install(h)
	fssim.Install(h)
	h.WithLock(func(h *sim.Host) { lvmsim.SeedWorld(h, w) })
	return h
}

// runStar runs src with the lvm and fs modules on ex and returns its
// globals; the error is the Starlark error, if any.
func runStar(t testing.TB, ex exec.Executor, src string) (starlark.StringDict, error) {
	t.Helper()
	th := &starlark.Thread{Name: t.Name(), Print: func(_ *starlark.Thread, msg string) { t.Log(msg) }}
	env.Set(th, env.New(context.Background(), ex))
	pre := starlark.StringDict{"lvm": Module().Value(), "fs": fs.Module().Value()}
	return starlark.ExecFile(th, t.Name()+".star", src, pre)
}

func mustRun(t testing.TB, ex exec.Executor, src string) starlark.StringDict {
	t.Helper()
	g, err := runStar(t, ex, src)
	if err != nil {
		if ee, ok := err.(*starlark.EvalError); ok {
			t.Fatalf("%s", ee.Backtrace())
		}
		t.Fatal(err)
	}
	return g
}

// mustExec runs argv on ex; only a failure to run at all stops the test.
func mustExec(t testing.TB, ex exec.Executor, argv ...string) exec.Result {
	t.Helper()
	res, err := ex.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
