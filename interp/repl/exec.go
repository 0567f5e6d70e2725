package repl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/interp"
)

// begin gives the next statement its own context, so Ctrl-C cancels the
// statement (killing its command, ending its wait or API poll) and not the
// session. Builtins read the context from the run's Env, and interp's
// threads watch Env.Ctx when they are made, so it is swapped here between
// statements, while nothing runs.
func (s *Session) begin() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(s.ctx)
	stop := func() {}
	if s.o.StatementTimeout > 0 {
		ctx, stop = context.WithTimeout(ctx, s.o.StatementTimeout)
	}
	s.mu.Lock()
	s.cancel = cancel
	if !s.interruptAt.IsZero() && s.now().Sub(s.interruptAt) <= interruptGrace {
		cancel(interp.ErrInterrupted) // Ctrl-C right after Enter
	}
	s.interruptAt = time.Time{}
	s.mu.Unlock()
	s.in.Env.Ctx = ctx
	return ctx, func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		stop()
		cancel(nil)
		s.in.Env.Ctx = s.ctx
	}
}

// exec runs one parsed statement: an expression's value is printed and
// kept in _, anything else runs as top-level code on the session globals.
func (s *Session) exec(f *syntax.File, src string) {
	if len(f.Stmts) == 0 {
		return
	}
	if s.learnSecrets(f) {
		s.forget()
	}
	ctx, end := s.begin()
	defer end()
	defer func() {
		if s.learnSecrets(f) { // globals the statement bound
			s.forget()
		}
	}()
	if ctx.Err() != nil {
		s.failed = true
		s.report(ctx, context.Cause(ctx))
		return
	}
	th := s.in.Thread(filename)
	var v starlark.Value = starlark.None
	var err error
	if expr := soleExpr(f); expr != nil {
		v, err = starlark.EvalExprOptions(f.Options, th, expr, s.globals)
	} else {
		err = starlark.ExecREPLChunk(f, th, s.globals)
	}
	if err != nil {
		s.failed = true
		s.report(ctx, err)
		return
	}
	if !callsHelp(f) {
		s.saved = append(s.saved, saveForm(f, src, v))
	}
	if v != starlark.None {
		s.globals["_"] = v
		s.show(v)
	}
}

func (s *Session) report(ctx context.Context, err error) {
	msg := interp.Render(err)
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, interp.ErrInterrupted) && !strings.Contains(msg, "interrupted"):
		msg += "\ninterrupted"
	case errors.Is(cause, context.DeadlineExceeded):
		msg += fmt.Sprintf("\nstatement timed out after %s (--timeout)", s.o.StatementTimeout)
	}
	s.errorf("%s", msg)
}

// show prints a value pretty, abbreviated when long; the note on how to
// see all of it goes to stderr so piped output stays the value alone.
func (s *Session) show(v starlark.Value) {
	text, note := Abbreviate(interp.Pretty(v, prettyWidth))
	fmt.Fprintln(s.o.Stdout, text)
	if note != "" {
		fmt.Fprintln(s.o.Stderr, note)
	}
}

// LoadFile runs a recipe file's top level (not its main) and puts its
// globals in scope. A static error in the file is returned; a run-time
// error is printed and the globals set before it are kept.
func (s *Session) LoadFile(path string) error {
	ctx, end := s.begin()
	defer end()
	th := s.in.Thread(path)
	g, err := s.in.ExecFile(th, path, nil)
	if err != nil && g == nil {
		return err
	}
	for k, v := range g {
		s.globals[k] = v
	}
	s.file = &loadedFile{path: path, globals: g}
	if s.learnSecrets(nil) {
		s.forget()
	}
	if err != nil {
		s.failed = true
		s.report(ctx, err)
	}
	return nil
}
