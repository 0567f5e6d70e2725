package repl_test

import (
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// tmuxPane drives `vrun repl` in a real terminal: a tmux server on a
// private socket in the test's temporary directory, killed when the test
// ends.
type tmuxPane struct {
	t      *testing.T
	socket string
}

func (p *tmuxPane) tmux(args ...string) string {
	p.t.Helper()
	out, err := osexec.Command("tmux", append([]string{"-S", p.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys types into the pane: literal text, or tmux key names with literal=false.
func (p *tmuxPane) keys(literal bool, keys ...string) {
	p.t.Helper()
	args := []string{"send-keys", "-t", "repl"}
	if literal {
		args = append(args, "-l")
	}
	p.tmux(append(args, keys...)...)
}

func (p *tmuxPane) line(text string) {
	p.t.Helper()
	p.keys(true, text)
	p.keys(false, "Enter")
}

func (p *tmuxPane) screen() string { return p.tmux("capture-pane", "-p", "-t", "repl") }

// waitFor polls the screen until re matches. The limit only bounds a hung
// test; nothing here measures speed.
func (p *tmuxPane) waitFor(re string) string {
	p.t.Helper()
	rx := regexp.MustCompile(re)
	var s string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if s = p.screen(); rx.MatchString(s) {
			return s
		}
	}
	p.t.Fatalf("the terminal never showed %q; screen:\n%s", re, s)
	return ""
}

// interrupt presses Ctrl-C until the running statement reports it was
// interrupted: a Ctrl-C that lands between Enter and the statement's start
// finds nothing to cancel, and a loaded machine can stretch that moment.
func (p *tmuxPane) interrupt() {
	p.t.Helper()
	rx := regexp.MustCompile(`interrupted\n>>>`)
	s := p.screen()
	before := len(rx.FindAllString(s, -1)) // earlier interrupts on screen
	for i := 0; i < 30; i++ {
		p.keys(false, "C-c")
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if s = p.screen(); len(rx.FindAllString(s, -1)) > before {
				return
			}
		}
	}
	p.t.Fatalf("Ctrl-C never interrupted the statement; screen:\n%s", s)
}

func buildVrun(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vrun")
	out, err := osexec.Command("go", "build", "-o", bin, "github.com/vrun-dev/vrun/cmd/vrun").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/vrun: %v\n%s", err, out)
	}
	return bin
}

// TestTerminalSession types into `vrun repl` in tmux: a statement, Tab
// completion, Ctrl-C of a sleep and of a running command (whose process
// must end), Up for history (also in the next session), Ctrl-D to leave
// with exit code 0.
func TestTerminalSession(t *testing.T) {
	exectest.RequireTools(t, "tmux")
	bin := buildVrun(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	p := &tmuxPane{t: t, socket: filepath.Join(dir, "tmux.sock")}
	// The shell traps SIGINT so Ctrl-C, sent to the whole foreground group,
	// leaves it waiting for vrun instead of closing the pane.
	// Two sessions one after the other: the second recalls the first's
	// history.
	vrun := fmt.Sprintf("env HOME=%s XDG_STATE_HOME=%s TERM=xterm NO_COLOR=1 %s repl", dir, state, bin)
	script := fmt.Sprintf("trap true INT; %s; echo \"vrun exited $?\"; %s; echo \"second exited $?\"; sleep 600", vrun, vrun)
	p.tmux("new-session", "-d", "-s", "repl", "-x", "150", "-y", "50", "sh", "-c", script)
	t.Cleanup(func() { osexec.Command("tmux", "-S", p.socket, "kill-server").Run() })

	p.waitFor(`(?m)^>>>$`)
	p.line("x = 40 + 2")
	p.line("x")
	p.waitFor(`(?m)^42$`)

	// Tab completes a module member in place.
	p.keys(true, "help(lvm.lvc")
	p.keys(false, "Tab")
	p.waitFor(regexp.QuoteMeta(">>> help(lvm.lvcreate"))
	p.keys(true, ")")
	p.keys(false, "Enter")
	p.waitFor(`(?m)^lvm\.lvcreate\(vg, name`)

	// Ctrl-C ends a long sleep and gives the prompt back.
	p.line(`sleep("1h")`)
	p.waitFor(regexp.QuoteMeta(`>>> sleep("1h")`))
	p.interrupt()

	// Ctrl-C ends a running command's process too.
	pidFile := filepath.Join(dir, "pid")
	p.line(fmt.Sprintf(`run("sh", "-c", "echo $$ > %[1]s.tmp; mv %[1]s.tmp %[1]s; exec sleep 3600")`, pidFile))
	pid := waitPid(t, pidFile)
	p.interrupt()
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("the command's process %d still runs after Ctrl-C", pid)
		syscall.Kill(pid, syscall.SIGKILL)
	}
	p.line(`print("still " + str(x))`)
	p.waitFor(`(?m)^still 42$`)

	// Up recalls the previous line; Ctrl-C at the prompt drops it.
	p.keys(false, "Up")
	p.waitFor(regexp.QuoteMeta(`>>> print("still " + str(x))`) + `\s*$`)
	p.keys(false, "C-c")
	p.keys(false, "C-d")
	// A new session: Up brings back the last line of the one before.
	p.waitFor(`vrun exited 0\nvrun repl on [^\n]*\n>>>\s*\z`)
	p.keys(false, "Up")
	p.waitFor(regexp.QuoteMeta(`>>> print("still " + str(x))`) + `\s*$`)
	p.keys(false, "C-c")
	p.keys(false, "C-d")
	p.waitFor(`second exited 0`)

	hist, err := os.ReadFile(filepath.Join(state, "vrun", "history"))
	if err != nil || !strings.Contains(string(hist), "x = 40 + 2\nx\n") {
		t.Errorf("history file: %q, %v", hist, err)
	}
}

func waitPid(t *testing.T, path string) int {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				return pid
			}
		}
	}
	t.Fatalf("the command never wrote its pid to %s", path)
	return 0
}

// TestTerminalContinuationKeys: Ctrl-C at the ... prompt drops the pending
// statement and Ctrl-D then exits, also where liner cannot drive the
// terminal (TERM=dumb) and the key comes as SIGINT; Ctrl-D at ... ends the
// statement with one press.
func TestTerminalContinuationKeys(t *testing.T) {
	exectest.RequireTools(t, "tmux")
	bin := buildVrun(t)
	dir := t.TempDir()
	p := &tmuxPane{t: t, socket: filepath.Join(dir, "tmux.sock")}
	vrun := func(term string) string {
		return fmt.Sprintf("env HOME=%s XDG_STATE_HOME=%s TERM=%s NO_COLOR=1 %s repl", dir, filepath.Join(dir, "state"), term, bin)
	}
	script := fmt.Sprintf("trap true INT; %s; echo \"dumb exited $?\"; %s; echo \"xterm exited $?\"; sleep 600", vrun("dumb"), vrun("xterm"))
	p.tmux("new-session", "-d", "-s", "repl", "-x", "150", "-y", "50", "sh", "-c", script)
	t.Cleanup(func() { osexec.Command("tmux", "-S", p.socket, "kill-server").Run() })

	for _, term := range []string{"dumb", "xterm"} {
		p.waitFor(`>>>\s*\z`)
		p.line("def f():")
		p.waitFor(`\.\.\.\s*\z`)
		p.keys(false, "C-c")
		p.waitFor(`\.\.\. \^C\n>>>\s*\z`)
		p.line("1 + 1")
		p.waitFor(`\n2\n>>>\s*\z`)
		p.line("def g():")
		p.waitFor(`def g\(\):\n\.\.\.\s*\z`)
		p.keys(false, "C-d")
		p.waitFor(`got end of file, want indent\n>>>\s*\z`)
		p.keys(false, "C-d")
		p.waitFor(term + ` exited 0\n`)
	}
}
