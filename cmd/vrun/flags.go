package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/vrun-dev/vrun/builtins/cloudstack"
	"github.com/vrun-dev/vrun/interp"
)

// globals are the flags every subcommand accepts (before FILE for a run).
type globals struct {
	sim      bool
	simSpeed float64
	simState string
	verbose  bool
	quiet    bool
	yes      bool
	timeout  time.Duration
	output   string
	color    string
	limits   limits // from VRUN_MAX_* in validate
	// hosts: --inventory, --hosts, --limit, --accept-new-host-keys
	inventory, hosts, limit string
	acceptNewHostKeys       bool
	jr                      journalFlags
}

func (g *globals) register(fs *pflag.FlagSet) {
	fs.BoolVar(&g.sim, "sim", false, "run against the embedded simulator instead of real hosts and APIs")
	fs.Float64Var(&g.simSpeed, "sim-speed", interp.DefaultSimSpeed, "how much faster than real time simulated jobs run")
	fs.StringVar(&g.simState, "sim-state", "", "keep the simulated world in this JSON file: loaded if it exists, saved at the end (implies --sim)")
	fs.BoolVarP(&g.verbose, "verbose", "v", false, "print each command and API call before it runs")
	fs.BoolVarP(&g.quiet, "quiet", "q", false, "print only results and errors")
	fs.DurationVar(&g.timeout, "timeout", 0, "stop the whole run after this long (exit 3), e.g. 30m")
	fs.BoolVar(&g.yes, "yes", false, "confirm destructive operations (lvremove, vdi delete, ...)")
	fs.StringVar(&g.output, "output", "text", "how results are printed: text or json")
	fs.StringVar(&g.color, "color", "auto", "colour: auto, always or never (NO_COLOR is honoured)")
	fs.StringVar(&g.inventory, "inventory", "", "an Ansible inventory (INI or YAML) whose hosts host() and on() know")
	fs.StringVar(&g.hosts, "hosts", "", "hosts for on(None, fn): names, groups or patterns, comma-separated")
	fs.StringVar(&g.limit, "limit", "", "run on() only on hosts matching this pattern (Ansible syntax: group,host,web*,!node3,&storage)")
	fs.BoolVar(&g.acceptNewHostKeys, "accept-new-host-keys", false, "record the host keys of SSH hosts not in known_hosts (a changed key is still refused)")
	g.jr.register(fs)
}

func (g *globals) validate() error {
	if g.output != "text" && g.output != "json" {
		return fmt.Errorf("--output: got %q, want text or json", g.output)
	}
	if g.color != "auto" && g.color != "always" && g.color != "never" {
		return fmt.Errorf("--color: got %q, want auto, always or never", g.color)
	}
	if g.timeout < 0 {
		return fmt.Errorf("--timeout: got %s, want a positive duration such as 30m", g.timeout)
	}
	if err := checkSimSpeed("--sim-speed", g.simSpeed); err != nil {
		return err
	}
	var err error
	g.limits, err = readLimits(os.Getenv)
	return err
}

// Simulated clocks run from minSimSpeed to maxSimSpeed times real time:
// beyond 1e6 a 30-minute wait is under 2 ms of real time and durations
// lose their meaning; NaN, Inf and 1e300 made the clock's arithmetic
// overflow and the run hang.
const (
	minSimSpeed = 0.001
	maxSimSpeed = 1e6
)

func checkSimSpeed(flag string, v float64) error {
	if math.IsNaN(v) || v < minSimSpeed || v > maxSimSpeed {
		return fmt.Errorf("%s: got %v, want a number from %g to %g (times real time; the default is %d)",
			flag, v, minSimSpeed, maxSimSpeed, interp.DefaultSimSpeed)
	}
	return nil
}

// context returns the run's context: cancelled with interp.ErrInterrupted on
// Ctrl-C or SIGTERM, with an *interp.MemoryError past VRUN_MAX_MEMORY, and
// with a deadline under --timeout.
func (g *globals) context(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	watchMemory(ctx, g.limits, cancel, stderr)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sigs; ok {
			cancel(interp.ErrInterrupted)
		}
	}()
	var stopTimeout context.CancelFunc = func() {}
	if g.timeout > 0 {
		ctx, stopTimeout = context.WithTimeout(ctx, g.timeout)
	}
	return ctx, func() {
		signal.Stop(sigs)
		close(sigs)
		stopTimeout()
		cancel(nil)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor decides colour for w by --color and NO_COLOR.
func (g *globals) useColor(w io.Writer) bool {
	switch g.color {
	case "always":
		return true
	case "never":
		return false
	}
	return os.Getenv("NO_COLOR") == "" && isTerminal(w)
}

// options builds the interpreter options for a run.
func (g *globals) options(ctx context.Context, stdout, stderr io.Writer) interp.Options {
	return interp.Options{
		Ctx: ctx, Stdout: stdout, Stderr: stderr, Terminal: isTerminal(stderr),
		Sim: g.sim, SimSpeed: g.simSpeed, SimState: g.simState, Verbose: g.verbose, Quiet: g.quiet, Yes: g.yes,
		SimFaults: os.Getenv(cloudstack.FaultsEnv), Limits: g.limits.env,
		Inventory: g.inventory, Hosts: g.hosts, Limit: g.limit, AcceptNewHostKeys: g.acceptNewHostKeys,
	}
}
