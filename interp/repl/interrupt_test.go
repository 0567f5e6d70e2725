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
