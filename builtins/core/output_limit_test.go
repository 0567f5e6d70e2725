package core_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/interp"
)

// run("cat", "/dev/zero") without a timeout used to read until vrun ran
// out of memory. Output is capped (by max_output, else the run's limit,
// VRUN_MAX_OUTPUT) and the command stopped with an error saying how to
// raise the cap.
func TestRunOutputLimit(t *testing.T) {
	exectest.RequireTools(t, "cat", "head", "sh")
	run := func(limits env.Limits, src string) error {
		var out bytes.Buffer
		in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out, Limits: limits})
		_, err := in.ExecFile(in.Thread("test"), "test.star", []byte(src))
		return err
	}
	cases := []struct {
		limits    env.Limits
		src, want string
	}{
		{env.Limits{}, `run("cat", "/dev/zero", max_output = "1M")`,
			`run: command cat /dev/zero wrote more than 1 MiB of output and was stopped (raise the limit with VRUN_MAX_OUTPUT, e.g. VRUN_MAX_OUTPUT=1G, or run(..., max_output = "1G"))`},
		{env.Limits{Output: 1 << 20}, `run("cat", "/dev/zero")`, "run: command cat /dev/zero wrote more than 1 MiB of output"},
		{env.Limits{Output: 1 << 20}, `sh("cat /dev/zero >&2", check = False)`, "wrote more than 1 MiB of output"},
		{env.Limits{Output: 1000}, `file.read("/dev/zero")`, "file.read: command cat -- /dev/zero wrote more than 1000 bytes"},
		{env.Limits{}, `run("true", max_output = "lots")`, `run: for parameter "max_output": invalid size "lots"`},
	}
	for _, c := range cases {
		err := run(c.limits, c.src)
		if err == nil || !strings.Contains(interp.Render(err), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.src, err, c.want)
		}
	}
	// Up to the limit, the whole output.
	if err := run(env.Limits{Output: 1000}, `r = run("head", "-c", "1000", "/dev/zero")
if len(r.stdout) != 1000:
    fail("got %d bytes" % len(r.stdout))`); err != nil {
		t.Errorf("output at the limit: %v", interp.Render(err))
	}
}
