// Package interp is vrun's Starlark host: it builds the per-run environment
// (executor, clock, output), the predeclared builtins, the loader, and runs
// recipe files and their main function.
package interp

import (
	"context"
	"io"
	"net/http"
	"os"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/hosts"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// DefaultSimSpeed is how much faster than real time simulated jobs run
// under --sim: a 10-minute snapshot job takes about two seconds.
const DefaultSimSpeed = 300

// FileOptions returns the dialect of recipes (starutil.FileOptions).
func FileOptions() *syntax.FileOptions { return starutil.FileOptions() }

// Options configures one run.
type Options struct {
	Ctx            context.Context
	Stdout, Stderr io.Writer
	Terminal       bool
	Sim            bool
	SimSpeed       float64   // 0: DefaultSimSpeed
	SimHost        *sim.Host // a pre-seeded simulated host (tests); implies Sim
	SimState       string    // --sim-state: world file loaded (if it exists) and saved by SaveWorld; implies Sim
	SimFaults      string    // the CloudStack simulator's faults ($VRUN_SIM_CLOUDSTACK_FAULTS)
	Verbose, Quiet bool
	Yes            bool
	Exec           exec.Executor // overrides the target's executor (tests; may wrap SimHost)
	Clock          env.Clock     // overrides the clock (tests)
	HTTP           *http.Client
	Entries        []builtins.Entry // nil: builtins.All()
	Limits         env.Limits       // zero fields: the defaults
	// Hosts: --inventory FILE, --hosts LIST, --limit PATTERN and
	// --accept-new-host-keys (host(), on(), inventory()).
	Inventory, Hosts, Limit string
	AcceptNewHostKeys       bool
}

// Interp is one run: its environment, builtins and loaded modules.
type Interp struct {
	Env         *env.Env
	Entries     []builtins.Entry
	Predeclared starlark.StringDict
	SimHost     *sim.Host       // nil unless simulated
	Hosts       *hosts.Resolver // host(), on(), inventory() of this run
	// TestPredeclared are the extra names of *_test.star files (sim), for
	// vrun check; `vrun test` predeclares them when it runs the tests.
	TestPredeclared starlark.StringDict
	loader          *loader
	worldFile       string // --sim-state
	sims            simHosts
}

// New prepares a run. It fails when the simulated host cannot be built
// (two modules registering one command).
func New(o Options) (*Interp, error) {
	entries := o.Entries
	if entries == nil {
		entries = builtins.All()
	}
	e := &env.Env{RunEnv: &env.RunEnv{
		Ctx: o.Ctx, Stdout: o.Stdout, Stderr: o.Stderr, Terminal: o.Terminal,
		Verbose: o.Verbose, Quiet: o.Quiet, Yes: o.Yes, HTTP: o.HTTP, Clock: o.Clock,
		Sim: o.Sim || o.SimHost != nil || o.SimState != "", SimFaults: o.SimFaults, Limits: o.Limits,
	}}
	if e.Ctx == nil {
		e.Ctx = context.Background()
	}
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.HTTP == nil {
		e.HTTP = &http.Client{}
	}
	in := &Interp{Env: e, Entries: entries, Predeclared: builtins.Predeclared(entries)}
	if _, taken := in.Predeclared["assert"]; !taken {
		in.Predeclared["assert"] = AssertModule()
	}
	if e.Sim {
		speed := o.SimSpeed
		if speed <= 0 {
			speed = DefaultSimSpeed
		}
		if e.Clock == nil {
			e.Clock = env.NewScaledClock(time.Now(), speed)
		}
		h := o.SimHost
		if h == nil {
			var err error
			if h, err = builtins.NewSimHost(entries); err != nil {
				return nil, err
			}
		}
		h.Sleep = e.Clock.Sleep
		if o.SimState != "" {
			if err := in.loadWorld(h, o.SimState); err != nil {
				return nil, err
			}
			in.worldFile = o.SimState
		}
		in.SimHost = h
		e.Target = env.NewTarget("sim", h)
	}
	if e.Clock == nil {
		e.Clock = env.RealClock{}
	}
	if o.Exec != nil {
		name := "local"
		if e.Target != nil {
			name = e.Target.Name
		}
		e.Target = env.NewTarget(name, o.Exec)
	}
	if e.Target == nil {
		e.Target = env.NewTarget("local", &exec.Local{})
	}
	if err := in.setupHosts(o); err != nil {
		return nil, err
	}
	in.loader = newLoader(in)
	return in, nil
}

// MustNew is New for tests, whose module set is fixed: it panics on error.
func MustNew(o Options) *Interp {
	in, err := New(o)
	if err != nil {
		panic(err)
	}
	return in
}

// Thread returns a new thread wired to the run's environment and loader.
func (in *Interp) Thread(name string) *starlark.Thread {
	th := &starlark.Thread{
		Name: name,
		Load: in.loader.load,
		// The thread's own Env: a thread of on() inherits this Print, and
		// its print() events then name its host.
		Print: func(th *starlark.Thread, msg string) {
			if e, err := env.From(th); err == nil {
				e.Print(msg)
				return
			}
			in.Env.Print(msg)
		},
	}
	env.Set(th, in.Env)
	// Ctrl-C and --timeout cancel the context; stop Starlark loops too.
	ctx := in.Env.Context()
	context.AfterFunc(ctx, func() { th.Cancel(context.Cause(ctx).Error()) })
	return th
}

// ReadFile reads a recipe or library file within the run's read limit,
// giving up when the run is cancelled.
func (in *Interp) ReadFile(path string) ([]byte, error) {
	return env.ReadFile(in.Env.Context(), path, in.Env.Limits.MaxRead())
}

// ExecFile runs a recipe file's top level and returns its globals.
func (in *Interp) ExecFile(th *starlark.Thread, path string, src []byte) (starlark.StringDict, error) {
	if src == nil {
		var err error
		if src, err = in.ReadFile(path); err != nil {
			return nil, err
		}
	}
	in.loader.markRoot(path)
	return starlark.ExecFileOptions(FileOptions(), th, path, src, in.Predeclared)
}
