package sim_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func run(t *testing.T, h *sim.Host, stdin string, argv ...string) exec.Result {
	t.Helper()
	c := exec.Cmd{Argv: argv}
	if stdin != "" {
		c.Stdin = []byte(stdin)
	}
	r, err := h.Run(context.Background(), c)
	if err != nil {
		t.Fatalf("%v: %v", argv, err)
	}
	return r
}

// The basics answer file.*'s commands as coreutils do.
func TestBasicsFiles(t *testing.T) {
	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir("/etc") })
	if r := run(t, h, "", "test", "-e", "/etc/x"); r.Code != 1 {
		t.Fatalf("test -e missing: rc %d", r.Code)
	}
	if r := run(t, h, "", "cat", "--", "/etc/x"); r.Code != 1 || string(r.Stderr) != "cat: /etc/x: No such file or directory\n" {
		t.Fatalf("cat missing: %+v", r)
	}
	run(t, h, "hello\n", "dd", "status=none", "of=/etc/x")
	run(t, h, "", "chmod", "600", "/etc/x")
	if r := run(t, h, "", "cat", "--", "/etc/x"); string(r.Stdout) != "hello\n" {
		t.Fatalf("cat: %q", r.Stdout)
	}
	h.WithLock(func(h *sim.Host) {
		if m, _ := h.FileMode("/etc/x"); m != 0o600 {
			t.Errorf("mode %o", m)
		}
	})
	if r := run(t, h, "", "chmod", "9z", "/etc/x"); r.Code != 1 || !strings.Contains(string(r.Stderr), "invalid mode") {
		t.Fatalf("chmod bad mode: %+v", r)
	}
}

func TestUnknownCommand(t *testing.T) {
	_, err := sim.New().Run(context.Background(), exec.Cmd{Argv: []string{"/usr/sbin/frob", "x"}})
	if err == nil || !strings.Contains(err.Error(), `"frob" is not installed on the simulated host`) {
		t.Fatalf("err = %v", err)
	}
}

func TestRegisterAndLog(t *testing.T) {
	h := sim.New()
	greets := sim.Slot[*int]{Key: "greet", New: func() *int { return new(int) }}
	greets.Declare(h)
	h.Register("greet", func(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
		n := greets.Get(h)
		*n++
		return sim.OK(strings.Repeat("hi ", *n))
	})
	run(t, h, "", "greet")
	if r := run(t, h, "", "/usr/bin/greet"); string(r.Stdout) != "hi hi " {
		t.Fatalf("state not kept: %q", r.Stdout)
	}
	if !h.Has("greet") || len(h.Log) != 2 {
		t.Fatalf("has %v, log %d", h.Has("greet"), len(h.Log))
	}
}

func TestSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sim.New().Run(ctx, exec.Cmd{Argv: []string{"sleep", "3600"}}); err == nil {
		t.Fatal("want context error")
	}
}

func TestDirs(t *testing.T) {
	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir("/etc/corosync") })
	run(t, h, "x", "dd", "status=none", "of=/etc/corosync/corosync.conf")
	run(t, h, "", "mkdir", "-p", "/var/lib/sheepdog")
	for _, c := range []struct {
		op, path string
		rc       int
	}{
		{"-d", "/etc/corosync", 0}, {"-e", "/etc", 0}, {"-f", "/etc/corosync", 1},
		{"-d", "/var/lib/sheepdog", 0}, {"-d", "/var/lib", 0}, {"-e", "/var/lib/nope", 1},
		{"-f", "/etc/corosync/corosync.conf", 0}, {"-d", "/etc/corosync/corosync.conf", 1},
	} {
		if r := run(t, h, "", "test", c.op, c.path); r.Code != c.rc {
			t.Errorf("test %s %s: rc %d, want %d", c.op, c.path, r.Code, c.rc)
		}
	}
}

// dd refuses what the real one refuses, so a rehearsal cannot pass where
// production fails.
func TestWriteRefusals(t *testing.T) {
	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir("/etc") })
	for p, want := range map[string]string{
		"":               "dd: failed to open '': No such file or directory\n",
		"/etc":           "dd: failed to open '/etc': Is a directory\n",
		"/nonexistent/x": "dd: failed to open '/nonexistent/x': No such file or directory\n",
	} {
		if r := run(t, h, "x", "dd", "status=none", "of="+p); r.Code != 1 || string(r.Stderr) != want {
			t.Errorf("dd of=%q: rc %d stderr %q, want %q", p, r.Code, r.Stderr, want)
		}
	}
	if r := run(t, h, "", "cat", "--", "/etc"); string(r.Stderr) != "cat: /etc: Is a directory\n" {
		t.Errorf("cat of a directory: %q", r.Stderr)
	}
}

// BeforeRun hooks run, with the host locked, before each command: the
// command sees what they did.
func TestBeforeRun(t *testing.T) {
	h := sim.New()
	n := 0
	h.BeforeRun(func(h *sim.Host) {
		n++
		h.WriteFile("/tmp/seen", []byte(strconv.Itoa(n)), 0o644)
	})
	r, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"cat", "/tmp/seen"}})
	if err != nil || string(r.Stdout) != "1" {
		t.Errorf("cat after one hook: %q %v", r.Stdout, err)
	}
	if _, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"true"}}); err != nil || n != 2 {
		t.Errorf("the hook ran %d times for two commands (%v)", n, err)
	}
}
