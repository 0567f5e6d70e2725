// Package exec defines how vrun runs commands on a target: the Executor
// interface, the command and result types, and the local implementation.
//
// Every side effect of a builtin goes through an Executor taken from the
// Starlark thread, so the same argv and parsers run on a real host, on the
// simulator and, later, over SSH or from a recording.
package exec

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Cmd is one command to run. Argv is never a shell string.
type Cmd struct {
	Argv    []string
	Stdin   []byte
	Env     []string      // extra KEY=VALUE pairs on top of the target's environment
	Dir     string        // working directory; empty means the target's default
	Timeout time.Duration // zero means no limit beyond the context
	Mutate  bool          // changes host state; a dry-run target must not run it
	// MaxOutput bounds the bytes kept of stdout and of stderr; a command
	// that writes more is killed (*OutputLimitError). Zero: no bound.
	MaxOutput int64
}

// Result is what a finished command left. A non-zero exit is a result,
// not an error: callers decide whether it is a failure.
type Result struct {
	Argv     []string
	Code     int
	Stdout   []byte
	Stderr   []byte
	Duration time.Duration
	TimedOut bool // killed because Cmd.Timeout ran out
}

// Executor runs one command. The error is only for "could not run at all"
// (no such program, context cancelled, transport down).
type Executor interface {
	Run(ctx context.Context, c Cmd) (Result, error)
}

// ExitError describes a command that ran and failed. Its message names the
// argv, the exit code and the tail of stderr, which is what an operator needs
// to act on the failure.
type ExitError struct {
	Result Result
}

func (e *ExitError) Error() string {
	r := e.Result
	var b strings.Builder
	fmt.Fprintf(&b, "command %s ", QuoteArgv(r.Argv))
	if r.TimedOut {
		fmt.Fprintf(&b, "timed out after %s", r.Duration.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "exited with rc %d", r.Code)
	}
	if tail := Tail(r.Stderr, 5); tail != "" {
		b.WriteString("\nstderr:\n")
		b.WriteString(indent(tail))
	} else if tail := Tail(r.Stdout, 5); tail != "" {
		b.WriteString("\nstdout:\n")
		b.WriteString(indent(tail))
	}
	return b.String()
}

// Check turns a failed result into an *ExitError.
func Check(r Result) error {
	if r.Code != 0 || r.TimedOut {
		return &ExitError{Result: r}
	}
	return nil
}

// Tail returns the last n non-empty lines of out.
func Tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// QuoteArgv renders argv the way a shell user would type it, for messages
// and -v traces.
func QuoteArgv(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = quote(a)
	}
	return strings.Join(parts, " ")
}

func quote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Wrapper is an executor that hands commands on to another one (a dry-run
// or recording layer, a test's tracer). Host-level features find what lies
// underneath through Find, never by asserting a concrete type.
type Wrapper interface {
	Executor
	Unwrap() Executor
}

// Find returns the first executor in ex's chain (ex, then what it wraps)
// that implements T.
func Find[T any](ex Executor) (T, bool) {
	for ex != nil {
		if t, ok := ex.(T); ok {
			return t, true
		}
		w, ok := ex.(Wrapper)
		if !ok {
			break
		}
		ex = w.Unwrap()
	}
	var zero T
	return zero, false
}
