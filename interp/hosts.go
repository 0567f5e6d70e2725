package interp

import (
	"fmt"
	"io"
	"net/netip"
	"sync"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/hosts"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// simHosts are the simulated hosts host("node1") made under --sim: one
// world each, saved with the run's world under "hosts", and one fleet for
// the services they share (a sheepdog cluster), saved under "fleet".
type simHosts struct {
	mu    sync.Mutex
	hosts map[string]*sim.Host
	order []string
	fleet *sim.Fleet
}

// fleetNet is where simulated hosts get their addresses when the inventory
// gives none: seed 000's storage network, so that a recipe's defaults
// (corosync's bindnetaddr 172.16.3.0) reach every node.
const fleetNet = "172.16.3.0/24"

// fleetOf returns the run's fleet, made on first use; sims must be locked.
func (in *Interp) fleetOf() *sim.Fleet {
	if in.sims.fleet == nil {
		in.sims.fleet = sim.NewFleet()
		if in.SimHost != nil {
			in.sims.fleet.Learn(in.SimHost) // it knows every module's shared kinds
		}
	}
	return in.sims.fleet
}

// hostAddr is a new simulated host's address: the inventory's when it is
// an IPv4 address, else the n-th of fleetNet from .11 (none past .254).
func hostAddr(addr string, n int) (netip.Prefix, bool) {
	if ip, err := netip.ParseAddr(addr); err == nil && ip.Is4() && !ip.IsLoopback() && !ip.IsUnspecified() && !ip.IsMulticast() {
		return netip.PrefixFrom(ip, 24), true
	}
	if n+11 > 254 {
		return netip.Prefix{}, false
	}
	net := netip.MustParsePrefix(fleetNet)
	b := net.Addr().As4()
	b[3] = byte(n + 11)
	return netip.PrefixFrom(netip.AddrFrom4(b), net.Bits()), true
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
// every module's fakes on the run's clock, a member of the run's fleet,
// with an address on eth0 (see hostAddr; a kept world brings its own).
func (in *Interp) simHost(name, addr string) (exec.Executor, error) {
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
	h.JoinFleet(in.fleetOf())
	if p, ok := hostAddr(addr, len(in.sims.order)); ok {
		h.WithLock(func(h *sim.Host) {
			if eth, ok := sim.NetworkOf(h).Link("eth0"); ok {
				eth.Addrs = append(eth.Addrs, sim.Addr{Prefix: p})
				// A MAC of its own per host, as on a real network.
				eth.MAC = fmt.Sprintf("52:54:00:%02x:%02x:%02x", p.Addr().As4()[1], p.Addr().As4()[2], p.Addr().As4()[3])
			}
		})
	}
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
