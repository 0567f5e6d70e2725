package exec_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
)

func TestLocalResult(t *testing.T) {
	l := &exec.Local{}
	ctx := context.Background()
	r, err := l.Run(ctx, exec.Cmd{Argv: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Code != 3 || string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" {
		t.Fatalf("got code %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	msg := exec.Check(r).Error()
	for _, want := range []string{"command sh -c 'echo out; echo err >&2; exit 3' exited with rc 3", "stderr:\n  err"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestLocalStdinEnvLocale(t *testing.T) {
	l := &exec.Local{}
	r, err := l.Run(context.Background(), exec.Cmd{
		Argv:  []string{"sh", "-c", `read x; echo "$x $FOO $LC_ALL"`},
		Stdin: []byte("hello\n"),
		Env:   []string{"FOO=bar", "LC_ALL=de_DE.UTF-8"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// LC_ALL=C wins: parsers depend on the C locale's formats.
	if got := string(r.Stdout); got != "hello bar C\n" {
		t.Fatalf("stdout %q", got)
	}
}

func TestLocalMissingProgram(t *testing.T) {
	_, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{Argv: []string{"vrun-no-such-program"}})
	if err == nil || !strings.Contains(err.Error(), "cannot run vrun-no-such-program: executable file not found") {
		t.Fatalf("err = %v", err)
	}
}

func TestLocalTimeout(t *testing.T) {
	r, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{Argv: []string{"sleep", "30"}, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !r.TimedOut || !strings.Contains(exec.Check(r).Error(), "command sleep 30 timed out after") {
		t.Fatalf("result %+v", r)
	}
}

// TestLocalCancelKillsGroup: cancelling ends the child and its children,
// leaving no process of the group behind.
func TestLocalCancelKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := dir + "/pid"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := (&exec.Local{}).Run(ctx, exec.Cmd{Argv: []string{"sh", "-c", "sleep 60 & echo $! > " + pidFile + "; sleep 60"}})
		done <- err
	}()
	var grandchild int
	for i := 0; i < 500 && grandchild == 0; i++ {
		if b, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(b), "\n") {
			grandchild, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if grandchild == 0 {
		t.Fatal("child never started")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The background sleep was in the group: it must be gone (or a zombie
	// about to be reaped by init), not running.
	for i := 0; i < 200; i++ {
		if err := syscall.Kill(grandchild, 0); errors.Is(err, syscall.ESRCH) || isZombie(grandchild) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("grandchild %d still running after cancel", grandchild)
}

func isZombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	fields := strings.Fields(string(b))
	return len(fields) > 2 && fields[2] == "Z"
}

func TestQuoteArgv(t *testing.T) {
	got := exec.QuoteArgv([]string{"lvcreate", "-L", "10G", "it's", "a b", ""})
	want := `lvcreate -L 10G 'it'\''s' 'a b' ''`
	if got != want {
		t.Fatalf("got %s want %s", got, want)
	}
}
