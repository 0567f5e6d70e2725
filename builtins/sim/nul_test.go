package sim_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// A NUL byte cannot reach a real program: execve takes C strings, so the
// local executor fails with EINVAL. The simulated host must refuse the same
// commands, or a rehearsal passes where the real run fails.
func TestNULRefusedAsOnRealHost(t *testing.T) {
	h := sim.New()
	for _, c := range []exec.Cmd{
		{Argv: []string{"echo", "a\x00b"}},
		{Argv: []string{"true"}, Env: []string{"X=a\x00b"}},
		{Argv: []string{"true"}, Dir: "/tmp\x00x"},
	} {
		for name, ex := range map[string]exec.Executor{"local": &exec.Local{}, "sim": h} {
			_, err := ex.Run(context.Background(), c)
			// os/exec words a NUL in the environment its own way.
			if err == nil || len(c.Env) == 0 && !errors.Is(err, syscall.EINVAL) {
				t.Errorf("%s %q env %q dir %q: got %v, want a failure to run (invalid argument)", name, c.Argv, c.Env, c.Dir, err)
			}
		}
	}
	if r, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"echo", "ab"}}); err != nil || string(r.Stdout) != "ab\n" {
		t.Errorf("a command without NUL: %+v %v", r, err)
	}
}
