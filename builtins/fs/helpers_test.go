package fs

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/fs/fssim"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// simHost is a simulated host with the fs fakes and blank disks of the
// given sizes (path → bytes).
func simHost(disks map[string]int64) *sim.Host {
	h := sim.New()
	fssim.Install(h)
	h.WithLock(func(h *sim.Host) {
		st := sim.ResetStorage(h)
		for p, size := range disks {
			st.AddDevice(&sim.BlockDev{Path: p, Size: size})
		}
	})
	return h
}

func runStar(t testing.TB, ex exec.Executor, src string) (starlark.StringDict, error) {
	t.Helper()
	return modtest.Exec(t, ex, src, Module())
}

func mustRun(t testing.TB, ex exec.Executor, src string) starlark.StringDict {
	t.Helper()
	return modtest.MustExec(t, ex, src, Module())
}
