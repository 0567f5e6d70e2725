package hosts

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
)

// maxActivity bounds what a live line shows of a command, so that a line
// stays one terminal row on a usual terminal.
const maxActivity = 60

// progress draws one live line per running host of an on() on a terminal:
// its step() name, else its last command. Each change redraws the block in
// place (cursor up, clear to the end of the screen); close erases it, so
// the recap that follows starts on a clean screen.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	width int // of the host column
	order []string
	now   map[string]*doing
	drawn int // lines of the block on the screen
}

// doing is what one host does: a stack of step names and the last command.
type doing struct {
	steps []string
	cmd   string
}

// newProgress returns the live display of an on() over hosts, or nil when
// it must not show: not a terminal, -q, -v (traces would tear it),
// --output json, or another on()'s display already live.
func newProgress(e *env.Env, hosts []*Host) (*progress, func()) {
	if !e.Terminal || e.Quiet || e.Verbose || e.JSONEvents || e.Stderr == nil {
		return nil, func() {}
	}
	p := &progress{w: e.Stderr, now: map[string]*doing{}}
	for _, h := range hosts {
		p.width = max(p.width, len(h.name))
	}
	release, ok := e.SetOverlay(p)
	if !ok {
		return nil, func() {}
	}
	return p, func() {
		release()
		p.mu.Lock()
		p.erase()
		p.mu.Unlock()
	}
}

// start shows host's line; the returned Activity feeds it; done removes it.
func (p *progress) start(host string) (act env.Activity, done func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.order = append(p.order, host)
	p.now[host] = &doing{}
	p.redraw()
	return hostActivity{p, host}, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.now, host)
		for i, h := range p.order {
			if h == host {
				p.order = append(p.order[:i], p.order[i+1:]...)
				break
			}
		}
		p.redraw()
	}
}

// Around writes another output line above the block: erase, write, draw.
func (p *progress) Around(write func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	write()
	p.redraw()
}

func (p *progress) erase() {
	if p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA\r\x1b[J", p.drawn)
		p.drawn = 0
	}
}

func (p *progress) redraw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA\r\x1b[J", p.drawn)
	}
	for _, h := range p.order {
		fmt.Fprintf(&b, "  %-*s  %s\n", p.width, h, p.now[h].text())
	}
	p.drawn = len(p.order)
	io.WriteString(p.w, b.String()) // one write: a frame is not torn
}

func (d *doing) text() string {
	switch {
	case len(d.steps) > 0:
		return d.steps[len(d.steps)-1]
	case d.cmd != "":
		return d.cmd
	}
	return "starting"
}

// hostActivity records one host's steps and commands in its progress.
type hostActivity struct {
	p    *progress
	host string
}

func (a hostActivity) update(f func(d *doing)) {
	a.p.mu.Lock()
	defer a.p.mu.Unlock()
	if d := a.p.now[a.host]; d != nil {
		f(d)
		a.p.redraw()
	}
}

func (a hostActivity) StepBegan(name string) {
	a.update(func(d *doing) { d.steps = append(d.steps, oneLine(name)) })
}

func (a hostActivity) StepEnded(string) {
	a.update(func(d *doing) {
		if len(d.steps) > 0 {
			d.steps = d.steps[:len(d.steps)-1]
		}
	})
}

func (a hostActivity) Ran(argv []string) {
	a.update(func(d *doing) { d.cmd = oneLine(exec.QuoteArgv(argv)) })
}

// oneLine keeps the line one row: control characters (an argv may hold a
// newline or an escape sequence) become spaces, and a long text is cut.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > maxActivity {
		s = string(r[:maxActivity-1]) + "…"
	}
	return s
}
