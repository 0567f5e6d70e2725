// Package env holds what one vrun run injects into its Starlark threads:
// the executor, the clock, the output streams, the HTTP client and the
// global flags. Builtins read it with From(thread); nothing is global.
package env

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/interp/exec"
)

const threadKey = "vrun.env"

// Env is the per-run environment shared by every thread of one run.
type Env struct {
	Ctx    context.Context
	Exec   exec.Executor
	Clock  Clock
	HTTP   *http.Client
	Stdout io.Writer // recipe output: print(), results
	Stderr io.Writer // progress, traces, warnings
	// JSONEvents (--output json): print(), traces and warnings go to
	// Stderr as JSON lines {"event": ..., "text": ...}, so Stdout holds the
	// result alone.
	JSONEvents bool
	Terminal   bool // Stderr is a terminal: progress lines may redraw
	Verbose    bool // -v: trace each command and API call
	Quiet      bool
	Yes        bool // --yes: destructive operations are confirmed
	Sim        bool // --sim: host commands and APIs go to the simulator
	Limits     Limits

	mu     sync.Mutex
	shared map[string]any
}

// Set attaches e to th; interp calls it for every thread it makes.
func Set(th *starlark.Thread, e *Env) { th.SetLocal(threadKey, e) }

// From returns the Env of th. A thread without one is a programming error
// in the host, reported as an error rather than a panic.
func From(th *starlark.Thread) (*Env, error) {
	if e, ok := th.Local(threadKey).(*Env); ok && e != nil {
		return e, nil
	}
	return nil, errors.New("internal error: thread has no vrun environment")
}

// Context returns the run's context (cancelled by Ctrl-C or --timeout).
func (e *Env) Context() context.Context {
	if e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// Shared returns the per-run value stored under key, creating it with mk on
// first use. Modules keep per-run singletons here (the CloudStack simulator,
// cached API lists) instead of in package globals.
func (e *Env) Shared(key string, mk func() (any, error)) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if v, ok := e.shared[key]; ok {
		return v, nil
	}
	v, err := mk()
	if err != nil {
		return nil, err
	}
	if e.shared == nil {
		e.shared = map[string]any{}
	}
	e.shared[key] = v
	return v, nil
}

// Print writes a recipe's print() line: to Stdout, or as a "print" event
// under --output json. -q silences it.
func (e *Env) Print(msg string) {
	if !e.Quiet {
		e.event(e.Stdout, "print", "", msg)
	}
}

// Tracef prints a -v trace line.
func (e *Env) Tracef(format string, args ...any) {
	if e.Verbose {
		e.event(e.Stderr, "trace", "+ ", fmt.Sprintf(format, args...))
	}
}

// Warnf prints a warning line unless -q was given.
func (e *Env) Warnf(format string, args ...any) {
	if !e.Quiet {
		e.event(e.Stderr, "warning", "", fmt.Sprintf(format, args...))
	}
}

// event writes one line of output as text (with prefix) or, under
// --output json, as a JSON object on Stderr.
func (e *Env) event(w io.Writer, kind, prefix, text string) {
	if e.JSONEvents {
		b, _ := json.Marshal(map[string]string{"event": kind, "text": text})
		w, prefix, text = e.Stderr, "", string(b)
	}
	if w != nil {
		io.WriteString(w, prefix+text+"\n")
	}
}

// Run runs c on the run's executor, tracing it under -v.
func (e *Env) Run(c exec.Cmd) (exec.Result, error) {
	e.Tracef("%s", exec.QuoteArgv(c.Argv))
	if c.MaxOutput == 0 {
		c.MaxOutput = e.Limits.MaxOutput()
	}
	return e.Exec.Run(e.Context(), c)
}

// Confirmed reports whether a destructive operation may go ahead.
func (e *Env) Confirmed(confirm bool) bool { return confirm || e.Yes }
