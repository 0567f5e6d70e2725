package core_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/interp"
)

// execLocal runs src on this machine with the local executor and returns
// its globals.
func execLocal(t *testing.T, ctx context.Context, src string) (starlark.StringDict, error) {
	t.Helper()
	var out bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: ctx, Stdout: &out, Stderr: &out})
	return in.ExecFile(in.Thread("test"), "test.star", []byte(src))
}

func mustExec(t *testing.T, src string) starlark.StringDict {
	t.Helper()
	g, err := execLocal(t, context.Background(), src)
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	return g
}

func TestRunLocal(t *testing.T) {
	exectest.RequireTools(t, "true", "false", "cat", "sh", "echo")
	g := mustExec(t, `
r = run("true")
f = run("false", check = False)
c = run("cat", stdin = "hello\n")
e = sh("echo $FOO $N", env = {"FOO": "bar", "N": 3})
a = run("echo", 1, ["two", 3])
`)
	cases := []struct{ expr, want string }{
		{"r.rc", "0"}, {"r.ok", "True"}, {"r.stdout", `""`}, {"r.argv", `["true"]`},
		{"type(r.duration)", `"time.duration"`}, {"r.timed_out", "False"},
		{"f.rc", "1"}, {"f.ok", "False"},
		{"c.stdout", `"hello\n"`},
		{"e.stdout", `"bar 3\n"`}, {"e.argv", `["/bin/sh", "-c", "echo $FOO $N"]`},
		{"a.stdout", `"1 two 3\n"`},
		{"str(r).startswith('result(')", "True"},
	}
	for _, c := range cases {
		v, err := starlark.EvalOptions(interp.FileOptions(), &starlark.Thread{}, "expr", c.expr, g)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if v.String() != c.want {
			t.Errorf("%s = %s, want %s", c.expr, v, c.want)
		}
	}
}

func TestRunErrorsLocal(t *testing.T) {
	exectest.RequireTools(t, "false", "sh", "sleep")
	cases := []struct{ src, want string }{
		{`run("false")`, "run: command false exited with rc 1"},
		{`sh("echo x >&2; exit 3")`, "sh: command /bin/sh -c 'echo x >&2; exit 3' exited with rc 3\nstderr:\n  x"},
		{`run("sleep", "5", timeout = "200ms")`, "run: command sleep 5 timed out after 200ms"},
		{`run("nosuchcmd-vrun")`, "run: cannot run nosuchcmd-vrun: executable file not found in $PATH"},
		{`run()`, "run: missing command"},
		{`run("echo", 1.5)`, "run: argv item 1.5: got float, want string or int"},
		{`run("echo", [["x"]])`, "run: argv item: got nested list, want string or int"},
		{`run("cat", stdin = 3)`, "run: stdin: got int, want string"},
		{`run("true", env = {"A": []})`, `run: for parameter "env": value of "A": got list, want string`},
		{`run("true", timeout = "soon")`, `run: for parameter "timeout": invalid duration "soon"`},
		{`sh()`, "sh: missing argument for script"},
	}
	for _, c := range cases {
		_, err := execLocal(t, context.Background(), c.src)
		if err == nil {
			t.Errorf("%s: no error, want %q", c.src, c.want)
			continue
		}
		if got := err.(*starlark.EvalError).Msg; !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestRunTimeoutUnchecked(t *testing.T) {
	exectest.RequireTools(t, "sleep")
	g := mustExec(t, `r = run("sleep", "5", timeout = "100ms", check = False)`)
	v, _ := starlark.EvalOptions(interp.FileOptions(), &starlark.Thread{}, "expr", "(r.timed_out, r.ok)", g)
	if v.String() != "(True, False)" {
		t.Errorf("(timed_out, ok) = %s, want (True, False)", v)
	}
}

// TestRunCancelKillsGroup checks that Ctrl-C during run() ends the child
// and its background grandchild, and the run's error is the interrupt.
func TestRunCancelKillsGroup(t *testing.T) {
	exectest.RequireTools(t, "sh", "sleep")
	for name, script := range map[string]string{"child": "sleep 60", "grandchild": "sleep 60 & sleep 60"} {
		t.Run(name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			done := make(chan error, 1)
			go func() {
				_, err := execLocal(t, ctx, `run("sh", "-c", "echo $$ > `+pidFile+`; exec sh -c '`+script+`'")`)
				done <- err
			}()
			pgid := waitForPid(t, pidFile, done)
			if len(groupMembers(pgid)) == 0 {
				t.Fatalf("no live process in group %d before the cancel", pgid)
			}
			cancel(interp.ErrInterrupted)
			err := <-done
			if !errors.Is(err, interp.ErrInterrupted) || !strings.Contains(err.Error(), "run: sh -c") {
				t.Errorf("error = %v, want the interrupt naming the command", err)
			}
			if left := waitGroupGone(pgid); len(left) > 0 {
				t.Errorf("processes of group %d still alive after the cancel: %v", pgid, left)
			}
		})
	}
}

// waitForPid reads the pid the shell wrote (its process group id, as the
// executor makes each command a group leader).
func waitForPid(t *testing.T, path string, done chan error) int {
	t.Helper()
	for {
		select {
		case err := <-done:
			t.Fatalf("run ended before it was cancelled: %v", err)
		default:
		}
		data, err := os.ReadFile(path)
		if pid, perr := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && perr == nil {
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitGroupGone gives SIGKILLed processes a moment to finish exiting (the
// kernel tears them down asynchronously) and returns any still alive.
func waitGroupGone(pgid int) []int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := groupMembers(pgid)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// groupMembers lists the live (not zombie) processes of a process group,
// from /proc: a killed orphan may stay a zombie until init reaps it.
func groupMembers(pgid int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after "(comm)": state ppid pgrp ...
		rest := string(stat[bytes.LastIndexByte(stat, ')')+1:])
		f := strings.Fields(rest)
		if len(f) >= 3 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
			pids = append(pids, pid)
		}
	}
	return pids
}
