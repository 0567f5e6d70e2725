package interp

import (
	"fmt"
	"io"
	"sync"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/hosts"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// simHosts are the simulated hosts host("node1") made under --sim: one
// world each, saved with the run's world under "hosts".
type simHosts struct {
	mu    sync.Mutex
	hosts map[string]*sim.Host
	order []string
}

// setupHosts makes the run's host resolver: host(), on(), inventory().
func (in *Interp) setupHosts(o Options) error {
	r := &hosts.Resolver{
		Modules: in.Predeclared, Base: in.Env.Target, Sim: in.Env.Sim, NewSim: in.simHost,
		SSH:   sshexec.Options{AcceptNewHostKeys: o.AcceptNewHostKeys},
		Hosts: o.Hosts, Limit: o.Limit,
	}
	if o.Inventory != "" {
		data, err := env.ReadFile(in.Env.Context(), o.Inventory, in.Env.Limits.MaxRead())
		if err != nil {
			return &UsageError{Msg: fmt.Sprintf("--inventory: %v", err)}
		}
		inv, err := hosts.ParseInventory(o.Inventory, data)
		if err == nil {
			err = r.AddInventory(inv)
		}
		if err != nil {
			return &UsageError{Msg: fmt.Sprintf("--inventory: %v", err)}
		}
	}
	hosts.Install(in.Env, r)
	in.Hosts = r
	return nil
}

// simHost returns the simulated host named name, made on first use with
// every module's fakes on the run's clock.
func (in *Interp) simHost(name string) (exec.Executor, error) {
	in.sims.mu.Lock()
	defer in.sims.mu.Unlock()
	if h, ok := in.sims.hosts[name]; ok {
		return h, nil
	}
	h, err := builtins.NewSimHost(in.Entries)
	if err != nil {
		return nil, err
	}
	h.Sleep = in.Env.Clock.Sleep
	if in.sims.hosts == nil {
		in.sims.hosts = map[string]*sim.Host{}
	}
	in.sims.hosts[name] = h
	in.sims.order = append(in.sims.order, name)
	return h, nil
}

// Recap prints the per-host recap of on() calls, if any, and reports
// whether a host failed.
func (in *Interp) Recap(w io.Writer) (failed bool) {
	if in.Hosts == nil {
		return false
	}
	_, failed = in.Hosts.Recap(w, in.Env.JSONEvents)
	return failed
}

// Close ends what the run holds open: SSH connections.
func (in *Interp) Close() {
	if in.Hosts != nil {
		in.Hosts.Close()
	}
}
