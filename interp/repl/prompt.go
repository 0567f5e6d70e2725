package repl

import (
	"context"
	"fmt"
	"time"

	"github.com/vrun-dev/vrun/interp"
)

type readResult struct {
	line string
	err  error
}

// Interrupt handles Ctrl-C delivered as SIGINT. It cancels the running
// statement and reports whether there was one. With none running, a
// waiting prompt of an interactive session is abandoned (a terminal liner
// cannot drive, e.g. TERM=dumb, leaves the key to the terminal, which
// sends SIGINT), and otherwise a line was just entered: its statement is
// cancelled when it begins, or its continuation prompt is dropped.
func (s *Session) Interrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel == nil {
		switch {
		case !s.reading:
			s.interruptAt = s.now()
		case s.o.Interactive:
			select {
			case s.promptIntr <- struct{}{}:
			default:
			}
		}
		return false
	}
	s.cancel(interp.ErrInterrupted)
	return true
}

// read returns one line; it gives up when the session's context ends
// (SIGTERM, or Ctrl-C on a piped session), and returns
// ErrPromptInterrupted on a Ctrl-C that came as SIGINT. The caller keeps
// the line in the history (keep) once its statement is complete.
func (s *Session) read(p string) (string, error) {
	if len(s.pending) > 0 {
		l := s.pending[0]
		s.pending = s.pending[1:]
		return l, nil
	}
	if p == contPrompt && s.takeInterrupt() {
		return "", ErrPromptInterrupted // Enter then Ctrl-C: drop the statement
	}
	select {
	case <-s.promptIntr: // stale: it came between prompts and was handled
	default:
	}
	if s.inflight == nil {
		ch := make(chan readResult, 1)
		s.setReading(true)
		go func() {
			l, err := s.o.Reader.ReadLine(p)
			s.setReading(false)
			ch <- readResult{l, err}
		}()
		s.inflight = ch
	} else if s.o.Interactive {
		fmt.Fprint(s.o.Stdout, p) // the waiting read showed another prompt
	}
	select {
	case r := <-s.inflight:
		s.inflight = nil
		select {
		case <-s.promptIntr: // both at once: the Ctrl-C came first
			s.inflight = make(chan readResult, 1)
			s.inflight <- r
			return "", s.abandoned()
		default:
		}
		return r.line, r.err
	case <-s.promptIntr:
		return "", s.abandoned()
	case <-s.ctx.Done():
		return "", context.Cause(s.ctx)
	}
}

// abandoned ends the line the terminal echoed ^C on.
func (s *Session) abandoned() error {
	fmt.Fprintln(s.o.Stdout)
	return ErrPromptInterrupted
}

// takeInterrupt reports (and forgets) a Ctrl-C that came just after a
// line was entered, with nothing running.
func (s *Session) takeInterrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.interruptAt.IsZero() || s.now().Sub(s.interruptAt) > interruptGrace {
		return false
	}
	s.interruptAt = time.Time{}
	return true
}

func (s *Session) setReading(r bool) {
	s.mu.Lock()
	s.reading = r
	s.mu.Unlock()
}
