// Package modtest is the one harness modules' Go tests use to run a piece
// of Starlark against their own module: a thread wired to an environment
// (a target's executor, or a whole env.Env), the modules predeclared, the
// recipe dialect. It sits below interp, so a module's internal tests can
// use it; whole recipes and *.star files go through interp/startest.
package modtest

import (
	"context"
	"errors"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Exec runs src with mods predeclared on a thread whose commands go to ex,
// returning its globals and the Starlark error, if any.
func Exec(t testing.TB, ex exec.Executor, src string, mods ...*starutil.Module) (starlark.StringDict, error) {
	t.Helper()
	return ExecEnv(t, env.New(context.Background(), ex), src, mods...)
}

// ExecEnv is Exec with a whole environment (flags, clock, HTTP client).
func ExecEnv(t testing.TB, e *env.Env, src string, mods ...*starutil.Module) (starlark.StringDict, error) {
	t.Helper()
	th := &starlark.Thread{Name: t.Name(), Print: func(_ *starlark.Thread, msg string) { t.Log(msg) }}
	env.Set(th, e)
	pre := starlark.StringDict{}
	for _, m := range mods {
		pre[m.Name] = m.Value()
	}
	return starlark.ExecFileOptions(starutil.FileOptions(), th, t.Name()+".star", src, pre)
}

// MustExec is Exec that fails the test with the Starlark backtrace.
func MustExec(t testing.TB, ex exec.Executor, src string, mods ...*starutil.Module) starlark.StringDict {
	t.Helper()
	g, err := Exec(t, ex, src, mods...)
	if err != nil {
		var ee *starlark.EvalError
		if errors.As(err, &ee) {
			t.Fatalf("%s", ee.Backtrace())
		}
		t.Fatal(err)
	}
	return g
}

// SaveWorld saves h's world (--sim-state's file), failing the test on an
// error.
func SaveWorld(t testing.TB, h *sim.Host) []byte {
	t.Helper()
	var data []byte
	var err error
	h.WithLock(func(h *sim.Host) { data, err = h.SaveWorld() })
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// LoadWorld loads a saved world into h, failing the test on an error.
func LoadWorld(t testing.TB, h *sim.Host, data []byte) {
	t.Helper()
	var err error
	h.WithLock(func(h *sim.Host) { err = h.LoadWorld(data) })
	if err != nil {
		t.Fatal(err)
	}
}
