// Package repl is vrun's interactive session: statements read from a
// LineReader (a terminal with line editing, or a pipe), run one at a time
// with the same builtins, executor and flags as a recipe, with completion,
// help(), pretty-printed results and :save to turn a session into a recipe.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/interp"
)

const (
	prompt     = ">>> "
	contPrompt = "... "
	filename   = "<stdin>"
)

// Options configure a session.
type Options struct {
	Interp         *interp.Interp // the run: builtins, executor, flags
	Reader         LineReader
	Stdout, Stderr io.Writer
	// Interactive shows prompts and keeps history; without it the session
	// prints results only, so it can be scripted.
	Interactive bool
	Color       bool
	// HistoryFile, when set, gets every entered line appended.
	HistoryFile string
	// History is what earlier sessions entered (oldest first), for :history.
	History []string
	// StatementTimeout limits each statement (--timeout in the REPL).
	StatementTimeout time.Duration
}

// Session is one REPL session.
type Session struct {
	o       Options
	in      *interp.Interp
	ctx     context.Context // the session's; each statement gets a child
	globals starlark.StringDict
	help    *helper
	saved   []string // statements that ran without error, as recipe source
	file    *loadedFile
	history []string
	pending []string // lines read past the end of a statement, to run next
	failed  bool     // a statement failed (the exit code of a piped session)
	secrets secrets  // values kept out of the history and saved recipes
	now     func() time.Time

	// inflight is a ReadLine still waiting after its prompt was abandoned
	// (Ctrl-C as SIGINT): the next read takes its line.
	inflight chan readResult
	// promptIntr carries a Ctrl-C that came as SIGINT while a prompt waited.
	promptIntr chan struct{}

	mu      sync.Mutex
	cancel  context.CancelCauseFunc // the running statement's, nil when idle
	reading bool                    // a prompt is waiting for input
	// interruptAt is when a Ctrl-C came after a line was read but before
	// its statement began; that statement is cancelled at once (begin).
	interruptAt time.Time
}

// interruptGrace is how soon after a Ctrl-C that found nothing running a
// statement must begin to be cancelled by it: Enter then Ctrl-C races the
// statement's start, a later statement is a new request.
const interruptGrace = 500 * time.Millisecond

// New starts a session on o.Interp. Its globals are the run's predeclared
// names plus help().
func New(o Options) *Session {
	s := &Session{o: o, in: o.Interp, ctx: o.Interp.Env.Context(), history: slices.Clone(o.History), now: time.Now,
		promptIntr: make(chan struct{}, 1)}
	s.globals = starlark.StringDict{}
	for k, v := range s.in.Predeclared {
		s.globals[k] = v
	}
	s.help = newHelper(s.in.Entries, o.Stdout, s.Globals)
	s.globals["help"] = starlark.NewBuiltin("help", s.help.builtin)
	s.secrets.declare(builtins.Docs(s.in.Entries))
	for _, name := range builtins.SecretEnv(s.in.Entries) {
		if s.secrets.add(os.Getenv(name)) {
			s.forget()
		}
	}
	return s
}

// Globals are the session's names (tests inspect them).
func (s *Session) Globals() starlark.StringDict { return s.globals }

// Run reads and runs statements until the end of input (Ctrl-D) and returns
// the exit code: 0, 1 when a piped session had a failing statement, 130
// when the session itself was interrupted.
func (s *Session) Run() int {
	for {
		first, err := s.read(prompt)
		switch {
		case err == io.EOF:
			if s.o.Interactive {
				fmt.Fprintln(s.o.Stdout)
				return 0
			}
			if s.failed {
				return 1
			}
			return 0
		case errors.Is(err, ErrPromptInterrupted):
			continue
		case err != nil:
			if s.ctx.Err() != nil {
				return interp.ExitCode(s.ctx, s.ctx.Err())
			}
			s.errorf("reading input: %v", err)
			return 1
		}
		if cmd := strings.TrimSpace(first); strings.HasPrefix(cmd, ":") {
			s.keep([]string{first})
			if quit := s.command(cmd); quit {
				return 0
			}
			continue
		}
		s.statement(first)
	}
}

// statement reads the rest of a compound statement (def, if, for, open
// brackets) after its first line, then runs it.
func (s *Session) statement(first string) {
	var lines []string
	aborted := false // Ctrl-C at the continuation prompt
	eof := false     // Ctrl-D there: the parser may ask again, Ctrl-D is not asked twice
	readline := func() ([]byte, error) {
		if eof {
			return nil, nil
		}
		l := first
		if len(lines) > 0 {
			var err error
			l, err = s.read(contPrompt)
			switch {
			case err == io.EOF:
				eof = true
				return nil, nil // the parser ends the statement, or says what is missing
			case errors.Is(err, ErrPromptInterrupted):
				aborted = true
				return nil, err
			case err != nil:
				return nil, err
			}
		}
		lines = append(lines, l)
		return []byte(l + "\n"), nil
	}
	opts := *interp.FileOptions()
	opts.LoadBindsGlobally = true // load() in the REPL defines globals
	f, err := opts.ParseCompoundStmt(filename, readline)
	if aborted || err != nil {
		// It will not run, so its secrets are learnt from its text before
		// its lines are kept.
		if s.learnText(strings.Join(lines, "\n")) {
			s.forget()
		}
		s.keep(lines)
	}
	if aborted {
		return // the scanner reports it as a syntax error; drop the input quietly
	}
	if err != nil {
		s.failed = true
		s.errorf("%s", interp.Render(err))
		return
	}
	// The parser sees a block end only at the next line with less
	// indentation (or a blank one); that line belongs to the next statement.
	if n := len(f.Stmts); n > 0 {
		if _, end := f.Stmts[n-1].Span(); end.Line > 0 && int(end.Line) < len(lines) {
			rest := lines[end.Line:]
			lines = lines[:end.Line]
			for i, l := range rest {
				if strings.TrimSpace(l) != "" {
					s.pending = append(append([]string{}, rest[i:]...), s.pending...)
					break
				}
			}
		}
	}
	if s.learnSecrets(f) {
		s.forget()
	}
	s.keep(lines)
	s.exec(f, strings.TrimRight(strings.Join(lines, "\n"), "\n "))
}

func (s *Session) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.o.Color {
		msg = "\x1b[31m" + msg + "\x1b[0m"
	}
	fmt.Fprintln(s.o.Stderr, msg)
}

func soleExpr(f *syntax.File) syntax.Expr {
	if len(f.Stmts) == 1 {
		if stmt, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			return stmt.X
		}
	}
	return nil
}
