package lvm

import (
	"context"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/fs"
	"github.com/vrun-dev/vrun/builtins/fs/fssim"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/modtest"
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
	return modtest.Exec(t, ex, src, Module(), fs.Module())
}

func mustRun(t testing.TB, ex exec.Executor, src string) starlark.StringDict {
	t.Helper()
	return modtest.MustExec(t, ex, src, Module(), fs.Module())
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
