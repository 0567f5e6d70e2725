package tool_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/tool"
)

func TestToolRunner(t *testing.T) {
	h := sim.New()
	var seen []exec.Cmd
	h.Register("probe", func(_ context.Context, _ *sim.Host, c exec.Cmd) exec.Result {
		seen = append(seen, c)
		switch c.Argv[1] {
		case "ok":
			return sim.OK("fine\n")
		case "quiet-failure":
			return exec.Result{Stderr: []byte("Failed to do it\n")}
		}
		return sim.Fail(5, "  Volume group \"vg0\" not found\n")
	})
	e := env.New(context.Background(), h)
	probe := tool.Tool{Name: "probe",
		Explain: func(r exec.Result) string { return strings.TrimSpace(string(r.Stderr)) }}

	res, err := probe.Read(e, "ok")
	if err != nil || string(res.Stdout) != "fine\n" || seen[0].Mutate {
		t.Fatalf("read: %v %q mutate=%v", err, res.Stdout, seen[0].Mutate)
	}
	if _, err := probe.Change(e, "ok"); err != nil || !seen[1].Mutate {
		t.Fatalf("change: %v mutate=%v", err, seen[1].Mutate)
	}
	_, err = probe.Read(e, "bad")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Result.Code != 5 {
		t.Fatalf("got %v, want an *exec.ExitError with code 5", err)
	}
	if want := "Volume group \"vg0\" not found\ncommand probe bad exited with rc 5"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %q, want it to start with %q", err, want)
	}
	// A tool that reports failure on stderr with exit 0.
	dog := tool.Tool{Name: "probe", Failed: func(r exec.Result) bool {
		return r.Code != 0 || strings.HasPrefix(string(r.Stderr), "Failed to")
	}}
	if _, err := dog.Change(e, "quiet-failure"); !errors.As(err, &ee) {
		t.Errorf("got %v, want the exit-0 failure caught", err)
	}
	if _, err := probe.Read(e, "quiet-failure"); err != nil {
		t.Errorf("default classification: exit 0 is success, got %v", err)
	}
}
