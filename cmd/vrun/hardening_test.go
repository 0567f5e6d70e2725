package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// noDump fails when a Go stack trace or a raw escape reached stderr.
func noDump(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "runtime.") {
		t.Fatalf("Go stack trace leaked:\n%s", stderr)
	}
}

// A list that contains itself used to overflow the Go stack (exit 2, a
// goroutine dump) when printed as the result or passed to jq.
func TestCyclicValues(t *testing.T) {
	src := "def main():\n    x = [\"" + strings.Repeat("a", 100) + "\"]\n    x.append(x)\n    return x\n"
	code, out, stderr := runIn(t, src, "FILE")
	noDump(t, stderr)
	if code != 0 || !strings.Contains(out, "    [...],\n") {
		t.Errorf("text: code %d, stdout %q, stderr %q; want 0 and the cycle shown as [...]", code, out, stderr)
	}
	code, out, stderr = runIn(t, src, "--output", "json", "FILE")
	noDump(t, stderr)
	if code != 1 || stderr != "vrun: --output json: value contains itself (a cycle such as x.append(x)); it cannot be converted\n" {
		t.Errorf("json: code %d, stdout %q, stderr %q; want 1 and one line", code, out, stderr)
	}
	code, _, stderr = runIn(t, "x = []\nx.append(x)\njq(x, '.')\n", "FILE")
	noDump(t, stderr)
	if code != 1 || !strings.Contains(stderr, "Error in jq: value contains itself") {
		t.Errorf("jq: code %d, stderr %q", code, stderr)
	}
}

func TestReplCyclicValue(t *testing.T) {
	code, out, errs := replIn(t, &globals{}, "x = []\nx.append(x)\nx\njq(x, '.')\nprint('still here')\n")
	noDump(t, errs)
	if code != 1 || out != "[[...]]\nstill here\n" || !strings.Contains(errs, "value contains itself") {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errs)
	}
}

// Reading /dev/zero as a recipe or through load() ran out of memory.
func TestReadLimits(t *testing.T) {
	t.Setenv("VRUN_MAX_READ", "1M")
	var out, errb strings.Builder
	code := run([]string{"/dev/zero"}, strings.NewReader(""), &out, &errb)
	noDump(t, errb.String())
	if code != 1 || errb.String() != "cannot read recipe /dev/zero: /dev/zero is larger than 1 MiB, the limit on files vrun reads (raise it with VRUN_MAX_READ, e.g. VRUN_MAX_READ=64M)\n" {
		t.Errorf("recipe: code %d, stderr %q", code, errb.String())
	}
	code, _, stderr := runIn(t, "load(\"/dev/zero\", \"x\")\n", "FILE")
	noDump(t, stderr)
	if code != 1 || !strings.Contains(stderr, "cannot load /dev/zero: /dev/zero is larger than 1 MiB") {
		t.Errorf("load: code %d, stderr %q", code, stderr)
	}
	t.Setenv("VRUN_MAX_READ", "lots")
	if code, _, stderr := runIn(t, "x = 1\n", "FILE"); code != 2 || !strings.Contains(stderr, `VRUN_MAX_READ="lots": want a size such as 512M or 4G`) {
		t.Errorf("bad VRUN_MAX_READ: code %d, stderr %q", code, stderr)
	}
}

// Reading a recipe that never arrives (a FIFO without a writer) ignored
// --timeout.
func TestReadHonoursTimeout(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "r.star")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	var out, errb strings.Builder
	code := run([]string{"--timeout", "100ms", fifo}, strings.NewReader(""), &out, &errb)
	if code != 3 || !strings.Contains(errb.String(), "timed out after 100ms") {
		t.Errorf("code %d, stderr %q; want 3, timed out", code, errb.String())
	}
}

// Runaway recursion printed one traceback line per call (100,003 lines).
func TestTracebackCapped(t *testing.T) {
	code, _, stderr := runIn(t, "def f(n):\n    return f(n + 1)\n\nf(0)\n", "FILE")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 1 || len(lines) > 25 || !strings.Contains(stderr, " frames omitted\n") ||
		!strings.Contains(lines[1], "in <toplevel>") || !strings.HasPrefix(lines[len(lines)-1], "Error") {
		t.Errorf("code %d, %d lines:\n%s", code, len(lines), stderr)
	}
}

// Escape sequences from argv or a tool's stderr reached the terminal raw.
func TestErrorsEscapeControls(t *testing.T) {
	code, _, stderr := runIn(t, "run('sh', '-c', 'printf \"\\\\033[2Jwiped\\\\rover\" >&2; exit 1')\n", "FILE")
	if code != 1 || strings.ContainsAny(stderr, "\x1b\r") || !strings.Contains(stderr, `\x1b[2Jwiped\rover`) {
		t.Errorf("tool stderr: code %d, stderr %q", code, stderr)
	}
	code, _, stderr = runIn(t, "fail('bad\\x1b]0;title\\x07 name\\nsecond line')\n", "FILE")
	if code != 1 || strings.ContainsAny(stderr, "\x1b\x07") || !strings.Contains(stderr, "Error: bad\\x1b]0;title\\a name\nsecond line") {
		t.Errorf("fail(): code %d, stderr %q", code, stderr)
	}
	var out, errb strings.Builder
	code = run([]string{"--\x1b[31mred", "x.star"}, strings.NewReader(""), &out, &errb)
	if code != 2 || strings.Contains(errb.String(), "\x1b") || !strings.Contains(errb.String(), `unknown flag: --\x1b[31mred`) {
		t.Errorf("argv: code %d, stderr %q", code, errb.String())
	}
}

// panicWriter stands for any bug that panics while vrun runs.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("writer broke\nsecond line") }

// The last line of defence: a panic is one line and exit 1.
func TestPanicIsOneLine(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "r.star")
	if err := os.WriteFile(file, []byte("def main():\n    return 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	code := run([]string{file}, strings.NewReader(""), panicWriter{}, &errb)
	want := "vrun: internal error: writer broke second line (a bug in vrun: please report it with the command you ran and `vrun version`)\n"
	if code != 1 || errb.String() != want {
		t.Errorf("code %d, stderr %q; want 1, %q", code, errb.String(), want)
	}
}

// A long jsonnet evaluation ignored --timeout (go-jsonnet cannot be
// cancelled: the builtin now returns when the run's context ends). This
// one would take hours.
func TestJsonnetHonoursTimeout(t *testing.T) {
	src := `jsonnet(source = "std.foldl(function(a, i) a + std.length(std.range(1, 100000)), std.range(1, 100000), 0)")` + "\n"
	code, _, stderr := runIn(t, src, "--timeout", "200ms", "FILE")
	if code != 3 || !strings.Contains(stderr, "timed out after 200ms") || !strings.Contains(stderr, "Error in jsonnet: context deadline exceeded") {
		t.Errorf("code %d, stderr %q; want 3, timed out", code, stderr)
	}
}
