package sshexec_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec/sshtest"
)

// pool returns a pool reading only the test server's ssh_config, no agent.
func pool(t *testing.T, s *sshtest.Server, acceptNew bool) *sshexec.Pool {
	t.Helper()
	cfg, err := sshexec.LoadConfig(s.Dir, s.SSHConfig)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sshexec.NewPool(sshexec.Options{Config: cfg, AgentSock: "none", AcceptNewHostKeys: acceptNew})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func host(t *testing.T, p *sshexec.Pool, alias string) *sshexec.Executor {
	t.Helper()
	x, err := p.Host(alias, "", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestArgvSameAsLocal runs hostile argv (quotes, $(), globs, newlines,
// option-shaped words) over SSH and locally: each word must arrive as is.
func TestArgvSameAsLocal(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := host(t, pool(t, s, false), "node1")
	words := []string{"plain", "it's", `"dq"`, "$(touch /tmp/vrun-pwned)", "`id`", "*", "a b", "line1\nline2", ";", "&&", "-n", "", "$HOME", "\\", "é"}
	c := exec.Cmd{Argv: append([]string{"printf", "[%s]\\n"}, words...), Env: []string{"V=$(id) 'x'"}}
	remote, err := x.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	local, err := (&exec.Local{}).Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if string(remote.Stdout) != string(local.Stdout) || remote.Code != 0 {
		t.Fatalf("remote rc %d:\n%s\nlocal:\n%s", remote.Code, remote.Stdout, local.Stdout)
	}
	if _, err := os.Stat("/tmp/vrun-pwned"); err == nil {
		t.Fatal("a word was run by the remote shell")
	}
	env, err := x.Run(context.Background(), exec.Cmd{Argv: []string{"sh", "-c", `printf '%s|%s' "$LC_ALL" "$V"`}, Env: c.Env})
	if err != nil || string(env.Stdout) != "C|$(id) 'x'" {
		t.Fatalf("env: %q %v", env.Stdout, err)
	}
}

// TestResults: exit codes, stdin streamed, stderr, working directory.
func TestResults(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := host(t, pool(t, s, false), "node1")
	ctx := context.Background()
	r, err := x.Run(ctx, exec.Cmd{Argv: []string{"sh", "-c", "echo oops >&2; exit 3"}})
	if err != nil || r.Code != 3 || strings.TrimSpace(string(r.Stderr)) != "oops" {
		t.Fatalf("exit: %+v %v", r, err)
	}
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB through stdin and back
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"cat"}, Stdin: []byte(big)})
	if err != nil || string(r.Stdout) != big {
		t.Fatalf("stdin: %d bytes back, %v", len(r.Stdout), err)
	}
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"cat"}}) // no stdin: EOF at once, no hang
	if err != nil || r.Code != 0 {
		t.Fatalf("no stdin: %+v %v", r, err)
	}
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"pwd"}, Dir: s.Dir})
	if err != nil || strings.TrimSpace(string(r.Stdout)) != s.Dir {
		t.Fatalf("dir: %q %v", r.Stdout, err)
	}
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"pwd"}, Dir: "/nonexistent-dir"})
	if err != nil || r.Code != 127 {
		t.Fatalf("missing dir: %+v %v", r, err)
	}
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"no-such-program-vrun"}})
	if err != nil || r.Code != 127 {
		t.Fatalf("missing program: %+v %v", r, err)
	}
	r, err = x.Run(ctx, exec.Cmd{Argv: []string{"sleep", "30"}, Timeout: 200 * time.Millisecond})
	if err != nil || !r.TimedOut {
		t.Fatalf("timeout: %+v %v", r, err)
	}
	_, err = x.Run(ctx, exec.Cmd{Argv: []string{"head", "-c", "100000", "/dev/zero"}, MaxOutput: 1000})
	if _, ok := err.(*exec.OutputLimitError); !ok {
		t.Fatalf("output limit: %v", err)
	}
}

// TestOneConnection: many concurrent commands share one connection.
func TestOneConnection(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := host(t, pool(t, s, false), "node1")
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := x.Run(context.Background(), exec.Cmd{Argv: []string{"echo", strconv.Itoa(i)}})
			if err == nil && strings.TrimSpace(string(r.Stdout)) != strconv.Itoa(i) {
				err = &exec.ExitError{Result: r}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := x.Dials(); n != 1 {
		t.Fatalf("%d connections for 30 commands, want 1", n)
	}
}

// TestCancelLeavesNoOrphan: a cancelled command and its children are gone
// from the remote host when Run returns.
func TestCancelLeavesNoOrphan(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := host(t, pool(t, s, false), "node1")
	work := s.WorkDir(t)
	pidFile := filepath.Join(work, "pids")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := x.Run(ctx, exec.Cmd{Argv: []string{"sh", "-c", `sleep 1001 & echo $$ $! > ` + pidFile + `.tmp; mv ` + pidFile + `.tmp ` + pidFile + `; wait`}})
		done <- err
	}()
	pids := waitPids(t, pidFile)
	cancel()
	if err := <-done; err == nil {
		t.Fatal("cancelled command reported success")
	}
	for _, p := range pids {
		waitDead(t, p)
	}
}

func waitPids(t *testing.T, file string) []int {
	t.Helper()
	for i := 0; i < 2000; i++ {
		data, err := os.ReadFile(file)
		if err == nil {
			var pids []int
			for _, f := range strings.Fields(string(data)) {
				p, _ := strconv.Atoi(f)
				pids = append(pids, p)
			}
			return pids
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the remote command never started")
	return nil
}

// waitDead waits for pid to end; the kill is asynchronous in the kernel,
// so a short wait is allowed, a survivor after it is a failure.
func waitDead(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if !sshtest.Alive(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("remote process %d survived the cancel", pid)
}
