package env

import (
	"io"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Activity is told what a thread is doing now, for live progress lines
// (on()'s per-host lines on a terminal). Calls come from the thread's own
// goroutine; an implementation shared by threads locks.
type Activity interface {
	StepBegan(name string)
	StepEnded(name string)
	Ran(argv []string)
}

// Overlay is a live display on Stderr that other output must not tear:
// Around clears it, runs write, and draws it again, holding its lock so
// that no redraw lands in the middle.
type Overlay interface {
	Around(write func())
}

// WithActivity returns e whose steps and commands are reported to a.
func (e *Env) WithActivity(a Activity) *Env {
	c := *e
	c.act = a
	return &c
}

// StepBegan and StepEnded tell the thread's Activity, if any, that the
// step() name began or ended.
func (e *Env) StepBegan(name string) {
	if e.act != nil {
		e.act.StepBegan(name)
	}
}

func (e *Env) StepEnded(name string) {
	if e.act != nil {
		e.act.StepEnded(name)
	}
}

func (e *Env) ran(c exec.Cmd) {
	if e.act != nil {
		e.act.Ran(c.Argv)
	}
}

// SetOverlay makes o the run's live display, through which every output
// line is written until the returned release is called. It returns false
// (and sets nothing) when another overlay is live, such as an outer on()'s.
func (e *RunEnv) SetOverlay(o Overlay) (release func(), ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.overlay != nil {
		return nil, false
	}
	e.overlay = o
	return func() {
		e.mu.Lock()
		e.overlay = nil
		e.mu.Unlock()
	}, true
}

// write writes s to w, around the live overlay when there is one.
func (e *RunEnv) write(w io.Writer, s string) {
	e.mu.Lock()
	o := e.overlay
	e.mu.Unlock()
	if o == nil {
		io.WriteString(w, s)
		return
	}
	o.Around(func() { io.WriteString(w, s) })
}

// Overlaid reports whether a live overlay shows, so that a builtin's own
// redrawn line (a wait's counter) stays off the terminal rather than tear it.
func (e *RunEnv) Overlaid() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.overlay != nil
}
