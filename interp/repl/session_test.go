package repl_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
)

func TestPipedExpression(t *testing.T) {
	h := newSession(t, "x = 1 + 2\nx\n", nil)
	if code := h.run(); code != 0 {
		t.Fatalf("exit code %d, stderr: %s", code, h.stderr)
	}
	if got := h.stdout.String(); got != "3\n" {
		t.Errorf("stdout %q, want %q", got, "3\n")
	}
	if len(h.reader.history) != 0 {
		t.Errorf("a piped session recorded history: %q", h.reader.history)
	}
}

func TestMultiLine(t *testing.T) {
	in := strings.Join([]string{
		"def double(x):",
		"    \"\"\"Twice x.\"\"\"",
		"    return x * 2",
		"double(21)", // a dedented line ends the def and runs next
		"for i in range(2):",
		"    print('i', i)",
		"",
		"pair = [",
		"    1,",
		"    2,",
		"]",
		"pair",
	}, "\n")
	h := newSession(t, in, nil)
	if code := h.run(); code != 0 {
		t.Fatalf("exit code %d, stderr: %s", code, h.stderr)
	}
	want := "42\ni 0\ni 1\n[1, 2]\n"
	if got := h.stdout.String(); got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

func TestErrorThenGoodStatement(t *testing.T) {
	h := newSession(t, "nope + 1\n1 // 0\nsize(\"2K\")\n", nil)
	if code := h.run(); code != 1 {
		t.Errorf("exit code %d, want 1 (a piped session with a failed statement)", code)
	}
	if got := h.stdout.String(); got != "2048\n" {
		t.Errorf("stdout %q, want the good statement's value", got)
	}
	errs := h.stderr.String()
	for _, want := range []string{"<stdin>:1:1: undefined: nope", "Traceback", "Error: floored division by zero"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
}

func TestUnderscoreKeepsLastValue(t *testing.T) {
	h := newSession(t, "[1, 2]\nprint('x')\n_ + [3]\n_\n", nil)
	h.run()
	want := "[1, 2]\nx\n[1, 2, 3]\n[1, 2, 3]\n"
	if got := h.stdout.String(); got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
	if got := h.s.Last().String(); got != "[1, 2, 3]" {
		t.Errorf("_ = %s", got)
	}
}

func TestPrettyAndAbbreviated(t *testing.T) {
	h := newSession(t, "{'name': 'vol' * 30, 'tags': ['a', 'b']}\nlist(range(100))\n:full\n", nil)
	h.run()
	out := h.stdout.String()
	if !strings.HasPrefix(out, "{\n    \"name\": \"volvol") || !strings.Contains(out, "    \"tags\": [\"a\", \"b\"],\n}\n") {
		t.Errorf("dict not pretty-printed:\n%s", out)
	}
	if !strings.Contains(h.stderr.String(), "more lines; the value is in _: :full shows it all") {
		t.Errorf("no abbreviation note on stderr: %q", h.stderr)
	}
	head := strings.Index(out, "[\n")
	if head < 0 || strings.Count(out[head:], "\n    ") != 39+100 {
		t.Errorf("want 39 abbreviated elements then 100 from :full, got:\n%s", out[max(head, 0):])
	}
}

func TestHelp(t *testing.T) {
	h := newSession(t, "help(size)\nhelp(json)\nhelp('json.decode')\nhelp(len)\nhelp()\n", nil)
	if code := h.run(); code != 0 {
		t.Fatalf("exit code %d: %s", code, h.stderr)
	}
	out := h.stdout.String()
	for _, want := range []string{
		"size(text_or_int)\n    Returns a size in bytes",
		"module json: JSON encoding and decoding",
		"  encode(x)  ",
		"json.decode(x, default = None)\n    Decodes JSON text",
		"len: a Starlark built-in",
		"modules: ", "file, ", "builtins: ", "run, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help output lacks %q:\n%s", want, out)
		}
	}
}

func TestHelpLVM(t *testing.T) {
	h := newSession(t, "help(lvm.lvcreate)\nhelp(lvm)\n", nil)
	h.run()
	out := h.stdout.String()
	for _, want := range []string{"lvm.lvcreate(vg, name, size = None", "module lvm", "  lvs("} {
		if !strings.Contains(out, want) {
			t.Errorf("help output lacks %q:\n%s", want, out)
		}
	}
}

func TestInteractivePromptsAndHistory(t *testing.T) {
	hist := filepath.Join(t.TempDir(), "state", "vrun", "history")
	h := newSession(t, "def f():\n    return 7\n\nf()\n:history\n", func(_ *interp.Options, o *repl.Options) {
		o.Interactive, o.HistoryFile, o.History = true, hist, []string{"old = 1"}
	})
	if code := h.run(); code != 0 {
		t.Fatalf("exit code %d: %s", code, h.stderr)
	}
	wantPrompts := []string{">>> ", "... ", "... ", ">>> ", ">>> ", ">>> "}
	if strings.Join(h.reader.prompts, "|") != strings.Join(wantPrompts, "|") {
		t.Errorf("prompts %q, want %q", h.reader.prompts, wantPrompts)
	}
	data, err := os.ReadFile(hist)
	if err != nil {
		t.Fatal(err)
	}
	if want := "def f():\n    return 7\nf()\n:history\n"; string(data) != want {
		t.Errorf("history file %q, want %q", data, want)
	}
	if !strings.Contains(h.stdout.String(), "    1  old = 1\n    2  def f():\n    3      return 7\n    4  f()\n") {
		t.Errorf(":history printed:\n%s", h.stdout)
	}
	loaded, err := repl.LoadHistory(hist)
	if err != nil || len(loaded) != 4 || loaded[3] != ":history" {
		t.Errorf("LoadHistory = %q, %v", loaded, err)
	}
}

func TestHistoryPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if p, _ := repl.HistoryPath(); p != "/state/vrun/history" {
		t.Errorf("with XDG_STATE_HOME: %s", p)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "/home/op")
	if p, _ := repl.HistoryPath(); p != "/home/op/.local/state/vrun/history" {
		t.Errorf("default: %s", p)
	}
}

// gateClock's Sleep reports that a builtin is waiting, then waits for the
// context alone: the statement can only end by being interrupted.
type gateClock struct {
	env.RealClock
	waiting chan struct{}
}

func (c *gateClock) Sleep(ctx context.Context, _ time.Duration) error {
	select {
	case c.waiting <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestInterruptCancelsOnlyTheStatement(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	cases := map[string]string{
		"sleep":      `sleep("1h")`,
		"wait.until": `wait.until(lambda: False, timeout = "1h", what = "never")`,
		"loop":       "while True:\n    pass\n",
		// A ten-minute snapshot job on the simulator, being polled.
		"cloudstack poll": `cs = cloudstack.client(); cs.createSnapshot(volumeid = cs.listVolumes()["volume"][0]["id"])`,
		// A real process on this machine: Ctrl-C must end it.
		"command": `run("sh", "-c", "echo $$ > ` + pidFile + `.tmp; mv ` + pidFile + `.tmp ` + pidFile + `; exec sleep 3600")`,
	}
	for name, stmt := range cases {
		t.Run(name, func(t *testing.T) {
			clock := &gateClock{waiting: make(chan struct{}, 1)}
			h := newSession(t, stmt+"\nprint(\"back\")\n", func(o *interp.Options, _ *repl.Options) {
				o.Clock = clock
				if name == "command" {
					o.SimHost, o.Exec = nil, &exec.Local{}
				}
			})
			go func() {
				// Interrupt only once the statement is inside the
				// builtin's wait (or its process runs), so it is the
				// builtin that must stop, not the interpreter before it.
				switch name {
				case "command":
					for !fileExists(pidFile) {
						time.Sleep(5 * time.Millisecond)
					}
				case "loop":
					// Between the statement's lines a Ctrl-C drops it
					// (Enter then Ctrl-C at "..."): wait until it runs.
					for !h.s.Running() {
						time.Sleep(time.Millisecond)
					}
				default:
					<-clock.waiting
				}
				for !h.s.Interrupt() {
					time.Sleep(5 * time.Millisecond)
				}
			}()
			h.run()
			if !strings.Contains(h.stderr.String(), "interrupted") {
				t.Errorf("stderr %q does not say interrupted", h.stderr)
			}
			if h.stdout.String() != "back\n" {
				t.Errorf("the session did not go on: stdout %q", h.stdout)
			}
			if name == "command" {
				pid, err := strconv.Atoi(strings.TrimSpace(readFile(t, pidFile)))
				if err != nil || pid <= 0 {
					t.Fatalf("bad pid file: %v", err)
				}
				if err := syscall.Kill(pid, 0); err == nil {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Errorf("process %d survived the interrupt", pid)
				}
			}
			t.Logf("%s", h.stderr)
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestEndOfInputEndsTheStatement(t *testing.T) {
	h := newSession(t, "def f():\n    return 5\n\nf()", nil)
	if code := h.run(); code != 0 || h.stdout.String() != "5\n" {
		t.Errorf("code %d, stdout %q, stderr %q", code, h.stdout, h.stderr)
	}
	h = newSession(t, "x = [1,", nil)
	if code := h.run(); code != 1 || !strings.Contains(h.stderr.String(), "got end of file, want ']'") {
		t.Errorf("code %d, stderr %q", code, h.stderr)
	}
}

func TestUnknownCommand(t *testing.T) {
	h := newSession(t, ":frobnicate\n:save\n:full\n:help\n", nil)
	h.run()
	for _, want := range []string{"unknown command :frobnicate (see :help)", ":save: missing FILE.star", ":full: no value yet"} {
		if !strings.Contains(h.stderr.String(), want) {
			t.Errorf("stderr lacks %q: %s", want, h.stderr)
		}
	}
	if !strings.Contains(h.stdout.String(), ":save FILE.star") {
		t.Errorf(":help printed %q", h.stdout)
	}
}

func TestStatementTimeout(t *testing.T) {
	h := newSession(t, "sleep(\"1h\")\n1 + 1\n", func(o *interp.Options, r *repl.Options) {
		o.Clock, r.StatementTimeout = env.RealClock{}, 20*time.Millisecond
	})
	h.run()
	if !strings.Contains(h.stderr.String(), "statement timed out after 20ms (--timeout)") || h.stdout.String() != "2\n" {
		t.Errorf("stdout %q, stderr %q", h.stdout, h.stderr)
	}
}

// blockingReader never delivers a line, like a pipe nobody writes to.
type blockingReader struct{ scriptReader }

func (*blockingReader) ReadLine(string) (string, error) { select {} }

func TestEndedSessionExits130(t *testing.T) {
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader = &blockingReader{} })
	// What runRepl does on SIGTERM, or on Ctrl-C while a piped session waits.
	h.cancel(interp.ErrInterrupted)
	if code := h.run(); code != 130 {
		t.Errorf("exit code %d after the session was ended", code)
	}
}

// interruptingReader answers Ctrl-C at the continuation prompt once.
type interruptingReader struct{ scriptReader }

func (r *interruptingReader) ReadLine(p string) (string, error) {
	if p == "... " && len(r.prompts) == 1 {
		r.prompts = append(r.prompts, p)
		return "", repl.ErrPromptInterrupted
	}
	return r.scriptReader.ReadLine(p)
}

func TestCtrlCAtContinuationDropsTheStatement(t *testing.T) {
	r := &interruptingReader{scriptReader{lines: []string{"def f():", "1 + 1"}}}
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader, o.Interactive = r, true })
	if code := h.run(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if h.stderr.String() != "" || h.stdout.String() != "2\n\n" {
		t.Errorf("stdout %q, stderr %q", h.stdout, h.stderr)
	}
}

func TestLoadInSession(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib.star")
	write(t, lib, "def twice(x):\n    return 2 * x\n")
	h := newSession(t, `load("`+lib+`", "twice")`+"\ntwice(21)\n"+`load("nosuch.star", "x")`+"\n", nil)
	h.run()
	if h.stdout.String() != "42\n" {
		t.Errorf("stdout %q, stderr %q", h.stdout, h.stderr)
	}
	if !strings.Contains(h.stderr.String(), `cannot load nosuch.star`) {
		t.Errorf("stderr %q", h.stderr)
	}
}

func TestHistoryFileIsCompacted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vrun", "history")
	for i := range 2500 {
		if err := repl.AppendHistory(path, "x = "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	lines, err := repl.LoadHistory(path)
	if err != nil || len(lines) != 1000 || lines[999] != "x = 2499" || lines[0] != "x = 1500" {
		t.Fatalf("LoadHistory: %d lines, last %q, %v", len(lines), lines[len(lines)-1], err)
	}
	if n := strings.Count(readFile(t, path), "\n"); n != 1000 {
		t.Errorf("the file kept %d lines, want 1000", n)
	}
}
