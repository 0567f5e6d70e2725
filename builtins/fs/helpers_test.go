package fs

import (
	"context"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/fs/fssim"
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
	th := &starlark.Thread{Name: t.Name(), Print: func(_ *starlark.Thread, msg string) { t.Log(msg) }}
	env.Set(th, env.New(context.Background(), ex))
	return starlark.ExecFile(th, t.Name()+".star", src, starlark.StringDict{"fs": Module().Value()})
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
