package repl_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
)

// TestCtrlCJustBeforeTheStatement: a Ctrl-C after Enter that comes before
// the statement starts (nothing to cancel yet) cancels that statement when
// it begins, if it begins soon; later statements run.
func TestCtrlCJustBeforeTheStatement(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		after   time.Duration // from the Ctrl-C to the statement's start
		stopped bool
	}{
		{"at once", 0, true},
		{"soon", 100 * time.Millisecond, true},
		{"later", 2 * time.Second, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newSession(t, "x = 1\ny = 2\n", nil)
			now := t0
			repl.SetNow(h.s, func() time.Time { return now })
			if h.s.Interrupt() {
				t.Fatal("Interrupt reported a running statement")
			}
			now = now.Add(c.after)
			h.run()
			_, ran := h.s.Globals()["x"]
			if ran == c.stopped || h.s.Globals()["y"] == nil {
				t.Errorf("x defined %v, y %v; want x defined %v and y; stderr %q", ran, h.s.Globals()["y"], !c.stopped, h.stderr)
			}
			if got := strings.Contains(h.stderr.String(), "interrupted"); got != c.stopped {
				t.Errorf("stderr %q", h.stderr)
			}
		})
	}
}

// ctrlCReader is a prompt where the user presses Ctrl-C (SIGINT, as when
// the signal is sent from elsewhere) before typing the line.
type ctrlCReader struct {
	scriptReader
	s *repl.Session
}

func (r *ctrlCReader) ReadLine(p string) (string, error) {
	r.s.Interrupt()
	return r.scriptReader.ReadLine(p)
}

// TestCtrlCAtThePromptIsNotCarriedOver: a Ctrl-C while a prompt waits
// does not cancel the statement typed after it.
func TestCtrlCAtThePromptIsNotCarriedOver(t *testing.T) {
	r := &ctrlCReader{scriptReader: scriptReader{lines: []string{"x = 1"}}}
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader, o.Interactive = r, true })
	r.s = h.s
	repl.SetNow(h.s, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	h.run()
	if h.s.Globals()["x"] == nil || h.stderr.String() != "" {
		t.Errorf("x = %v, stderr %q", h.s.Globals()["x"], h.stderr)
	}
}

// sigintReader is a terminal liner cannot drive (TERM=dumb): Ctrl-C at the
// continuation prompt arrives as SIGINT while the read still waits, and
// the line typed after it (then Ctrl-D) goes to that same read.
type sigintReader struct {
	scriptReader
	s *repl.Session
}

func (r *sigintReader) ReadLine(p string) (string, error) {
	if p == "... " {
		r.s.Interrupt()
	}
	return r.scriptReader.ReadLine(p)
}

// TestSignalCtrlCAtContinuation: the pending statement is dropped, the
// prompt is >>> again, the next line is a statement of its own, and
// Ctrl-D after it exits 0.
func TestSignalCtrlCAtContinuation(t *testing.T) {
	for _, next := range [][]string{{"1 + 1"}, nil} {
		r := &sigintReader{scriptReader: scriptReader{lines: append([]string{"def f():"}, next...)}}
		h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader, o.Interactive = r, true })
		r.s = h.s
		out := h.stdout
		if code := h.run(); code != 0 {
			t.Errorf("exit code %d", code)
		}
		want := "\n>>> \n" // ^C's line ended, the prompt again, Ctrl-D's newline
		if next != nil {
			want = "\n>>> 2\n\n"
		}
		if out.String() != want || h.stderr.String() != "" || h.s.Globals()["f"] != nil {
			t.Errorf("after %q: stdout %q, want %q; stderr %q; f = %v", next, out, want, h.stderr, h.s.Globals()["f"])
		}
	}
}

// TestCtrlCJustBeforeTheContinuationPrompt: a Ctrl-C right after Enter on
// `def f():`, before the ... prompt shows, drops the statement.
func TestCtrlCJustBeforeTheContinuationPrompt(t *testing.T) {
	r := &scriptReader{lines: []string{"def f():", "1 + 1"}}
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader, o.Interactive = r, true })
	repl.SetNow(h.s, func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	h.s.Interrupt() // as if it came while def f(): was being handed over
	if code := h.run(); code != 0 || h.stdout.String() != "2\n\n" || h.stderr.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, h.stdout, h.stderr)
	}
	if want := []string{">>> ", ">>> ", ">>> "}; strings.Join(r.prompts, "|") != strings.Join(want, "|") {
		t.Errorf("prompts %q, want %q (no ... prompt)", r.prompts, want)
	}
}

// TestCtrlDAtContinuation: Ctrl-D at ... ends the statement at once (one
// press, not two); the parser says what is missing, and Ctrl-D exits.
func TestCtrlDAtContinuation(t *testing.T) {
	r := &scriptReader{lines: []string{"def f():"}}
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) { o.Reader, o.Interactive = r, true })
	if code := h.run(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if want := []string{">>> ", "... ", ">>> "}; strings.Join(r.prompts, "|") != strings.Join(want, "|") {
		t.Errorf("prompts %q, want %q", r.prompts, want)
	}
	if !strings.Contains(h.stderr.String(), "got end of file, want indent") {
		t.Errorf("stderr %q", h.stderr)
	}
}
