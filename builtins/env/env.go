// Package env holds what one vrun run injects into its Starlark threads:
// the target (where commands run), the clock, the output streams, the HTTP
// client and the global flags. Builtins read it with From(thread); nothing
// is global.
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

	"github.com/vrun-dev/vrun/builtins/exec"
)

const threadKey = "vrun.env"

// Env is what a thread sees: the run it belongs to and the target its
// commands go to. Threads bound to another host (host("node1"), a fan-out)
// get an Env with the same Run and their own Target.
type Env struct {
	*RunEnv
	*Target
	ctx context.Context // nil: the run's; a fan-out's host has its own
	act Activity        // nil: nothing shows what the thread does
}

// RunEnv is the per-run state shared by every thread and target of one run.
type RunEnv struct {
	Ctx    context.Context
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
	// SimFaults are the CloudStack simulator's injected faults
	// ($VRUN_SIM_CLOUDSTACK_FAULTS, read by cmd/vrun, not by the module).
	SimFaults string
	Limits    Limits
	// Jobs is told of the async jobs the run submits (the step journal,
	// builtins/journal); nil when nothing listens.
	Jobs JobTracker

	mu      sync.Mutex
	shared  map[string]any
	overlay Overlay // on()'s live lines, while they show
}

// WithTarget returns an Env of the same run whose commands go to t.
func (e *Env) WithTarget(t *Target) *Env {
	return &Env{RunEnv: e.RunEnv, Target: t, ctx: e.ctx, act: e.act}
}

// WithContext returns e whose commands and waits end with ctx (a host of
// a fan-out stopped when a sibling failed), which must derive from the run's.
func (e *Env) WithContext(ctx context.Context) *Env {
	return &Env{RunEnv: e.RunEnv, Target: e.Target, ctx: ctx, act: e.act}
}

// Context is the Env's context: its own when set, else the run's.
func (e *Env) Context() context.Context {
	if e.ctx != nil {
		return e.ctx
	}
	return e.RunEnv.Context()
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
func (e *RunEnv) Context() context.Context {
	if e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// Shared returns the per-run value stored under key, creating it with mk on
// first use. Modules keep per-run singletons here (the CloudStack simulator,
// cached API lists of an endpoint) instead of in package globals; what
// depends on the machine belongs in Target.Cache.
func (e *RunEnv) Shared(key string, mk func() (any, error)) (any, error) {
	return memo(&e.mu, &e.shared, key, mk)
}

// Print writes a recipe's print() line: to Stdout, or as a "print" event
// under --output json. -q silences it.
func (e *RunEnv) Print(msg string) {
	if !e.Quiet {
		e.event(e.Stdout, "print", "", "", msg)
	}
}

// Tracef prints a -v trace line.
func (e *RunEnv) Tracef(format string, args ...any) {
	if e.Verbose {
		e.event(e.Stderr, "trace", "", "+ ", fmt.Sprintf(format, args...))
	}
}

// Warnf prints a warning line unless -q was given.
func (e *RunEnv) Warnf(format string, args ...any) {
	if !e.Quiet {
		e.event(e.Stderr, "warning", "", "", fmt.Sprintf(format, args...))
	}
}

// Print is RunEnv.Print whose JSON event names the thread's host (a
// thread of on() or a host() value), so fan-out output can be told apart.
func (e *Env) Print(msg string) {
	if !e.Quiet {
		e.event(e.Stdout, "print", e.host(), "", msg)
	}
}

// Tracef is RunEnv.Tracef with the thread's host in JSON events.
func (e *Env) Tracef(format string, args ...any) {
	if e.Verbose {
		e.event(e.Stderr, "trace", e.host(), "+ ", fmt.Sprintf(format, args...))
	}
}

// Warnf is RunEnv.Warnf with the thread's host in JSON events.
func (e *Env) Warnf(format string, args ...any) {
	if !e.Quiet {
		e.event(e.Stderr, "warning", e.host(), "", fmt.Sprintf(format, args...))
	}
}

// host names the Env's target when it is another host than the run's own
// ("local" or "sim"); "" otherwise.
func (e *Env) host() string {
	if e.Target == nil || e.Target.Name == "local" || e.Target.Name == "sim" {
		return ""
	}
	return e.Target.Name
}

// event writes one line of output as text (with prefix) or, under
// --output json, as a JSON object on Stderr, with a "host" field when host
// is not "".
func (e *RunEnv) event(w io.Writer, kind, host, prefix, text string) {
	if e.JSONEvents {
		ev := map[string]string{"event": kind, "text": text}
		if host != "" {
			ev["host"] = host
		}
		b, _ := json.Marshal(ev)
		w, prefix, text = e.Stderr, "", string(b)
	}
	if w != nil {
		e.write(w, prefix+text+"\n")
	}
}

// Run runs c on the thread's target, tracing it under -v (with the
// target's name when it is not the local host or the simulator).
func (e *Env) Run(c exec.Cmd) (exec.Result, error) {
	if e.Target.Name != "" && e.Target.Name != "local" && e.Target.Name != "sim" {
		e.Tracef("[%s] %s", e.Target.Name, exec.QuoteArgv(c.Argv))
	} else {
		e.Tracef("%s", exec.QuoteArgv(c.Argv))
	}
	e.ran(c)
	if c.MaxOutput == 0 {
		c.MaxOutput = e.Limits.MaxOutput()
	}
	return e.Target.Exec.Run(e.Context(), c)
}

// Confirmed reports whether a destructive operation may go ahead.
func (e *RunEnv) Confirmed(confirm bool) bool { return confirm || e.Yes }
