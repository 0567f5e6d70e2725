package repl_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
	"github.com/vrun-dev/vrun/interp/startest"
)

// scriptReader feeds a session typed lines and records the prompts it
// showed and the history it was given.
type scriptReader struct {
	mu      sync.Mutex
	lines   []string
	prompts []string
	history []string
}

func (r *scriptReader) ReadLine(prompt string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prompts = append(r.prompts, prompt)
	if len(r.lines) == 0 {
		return "", io.EOF
	}
	l := r.lines[0]
	r.lines = r.lines[1:]
	return l, nil
}

func (r *scriptReader) AddHistory(l string)       { r.history = append(r.history, l) }
func (r *scriptReader) ReplaceHistory(l []string) { r.history = slices.Clone(l) }
func (r *scriptReader) Close() error              { return nil }

// syncBuffer is a bytes.Buffer safe to read while the session writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type harness struct {
	s              *repl.Session
	cancel         context.CancelCauseFunc // ends the session (SIGTERM)
	in             *interp.Interp
	reader         *scriptReader
	stdout, stderr *syncBuffer
}

// newSession starts a session on a fresh simulated host; tweak may adjust
// the interpreter and session options.
func newSession(t *testing.T, input string, tweak func(*interp.Options, *repl.Options)) *harness {
	t.Helper()
	ctx, cancel := context.WithCancelCause(context.Background())
	t.Cleanup(func() { cancel(nil) })
	h := &harness{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel}
	host := startest.SimHost(t)
	io := interp.Options{
		Ctx: ctx, Stdout: h.stdout, Stderr: h.stderr, SimHost: host,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	}
	h.reader = &scriptReader{lines: strings.Split(strings.TrimSuffix(input, "\n"), "\n")}
	if input == "" {
		h.reader.lines = nil
	}
	ro := repl.Options{Reader: h.reader, Stdout: h.stdout, Stderr: h.stderr}
	if tweak != nil {
		tweak(&io, &ro)
	}
	h.in = interp.MustNew(io)
	ro.Interp = h.in
	h.s = repl.New(ro)
	return h
}

// run runs the whole input and returns the exit code.
func (h *harness) run() int { return h.s.Run() }
