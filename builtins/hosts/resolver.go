// Package hosts is vrun's fan-out: host() values whose modules run on
// another target (SSH, a simulated host of its own), on() that calls a
// function per host on its own thread, inventory() reading Ansible
// inventories, and the per-host recap at the end of a run.
package hosts

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
)

const sharedKey = "vrun.hosts"

// Resolver turns host names into targets for one run. interp makes one and
// attaches it with Install.
type Resolver struct {
	Modules starlark.StringDict // what a host value binds: the predeclared names
	Base    *env.Target         // host("local"): the run's own target
	Sim     bool                // every host is simulated (--sim)
	// NewSim returns the simulated host named name, one world per name;
	// addr is the inventory's ansible_host for it ("" when none), which a
	// new simulated host takes as its address when it is an IP address.
	NewSim func(name, addr string) (exec.Executor, error)
	SSH    sshexec.Options
	Hosts  string     // --hosts: on(None, fn) runs on these
	Limit  string     // --limit: on() runs only on hosts matching it
	Inv    *Inventory // --inventory, and every inventory() loaded since

	mu      sync.Mutex
	targets map[string]*env.Target
	pool    *sshexec.Pool
	recap   recap
}

// Install attaches r to the run of e.
func Install(e *env.Env, r *Resolver) {
	e.Shared(sharedKey, func() (any, error) { return r, nil })
}

func from(th *starlark.Thread) (*env.Env, *Resolver, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, nil, err
	}
	v, err := e.Shared(sharedKey, func() (any, error) { return nil, errors.New("hosts are not available in this environment") })
	if err != nil {
		return nil, nil, err
	}
	return e, v.(*Resolver), nil
}

// Close closes the run's SSH connections.
func (r *Resolver) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pool != nil {
		r.pool.Close()
	}
}

// checkName refuses names no host has: empty, option-shaped, with
// whitespace or control characters.
func checkName(spec string) error {
	switch {
	case spec == "":
		return errors.New("empty host name")
	case strings.HasPrefix(spec, "-"):
		return fmt.Errorf("host name %q looks like an option", spec)
	case strings.ContainsFunc(spec, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return fmt.Errorf("host name %q contains whitespace or control characters", spec)
	}
	return nil
}

// Target returns the target of spec: "local", "sim://NAME",
// "ssh://[USER@]HOST[:PORT]", or a name from the inventory or ssh_config.
// Under --sim every spec is a simulated host of its own: a rehearsal never
// reaches a real one. The same spec gives the same target.
func (r *Resolver) Target(spec string, become bool) (*env.Target, error) {
	if err := checkName(spec); err != nil {
		return nil, err
	}
	key := spec + "\x00" + strconv.FormatBool(become)
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.targets[key]; ok {
		return t, nil
	}
	t, err := r.makeTarget(spec, become)
	if err != nil {
		return nil, err
	}
	if r.targets == nil {
		r.targets = map[string]*env.Target{}
	}
	r.targets[key] = t
	return t, nil
}

func (r *Resolver) makeTarget(spec string, become bool) (*env.Target, error) {
	name, user, port, scheme := spec, "", 0, ""
	if i := strings.Index(spec, "://"); i >= 0 {
		scheme = spec[:i]
		switch scheme {
		case "sim":
			name = spec[i+3:]
			if err := checkName(name); err != nil || strings.ContainsAny(name, "/@:") {
				return nil, fmt.Errorf("%q: want sim://NAME", spec)
			}
		case "ssh":
			u, err := url.Parse(spec)
			if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				return nil, fmt.Errorf("%q: want ssh://[USER@]HOST[:PORT]", spec)
			}
			name, user = u.Hostname(), u.User.Username()
			if p := u.Port(); p != "" {
				if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
					return nil, fmt.Errorf("%q: port %q: want 1-65535", spec, p)
				}
			}
			if err := checkName(name); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%q: unknown scheme %q (want ssh:// or sim://)", spec, scheme)
		}
	}
	display := strings.TrimPrefix(spec, scheme+"://")
	switch {
	case spec == "local":
		if become {
			return nil, errors.New("become on the local host: run vrun itself as root")
		}
		return r.Base, nil
	case r.Sim || scheme == "sim":
		if r.NewSim == nil {
			return nil, errors.New("no simulated hosts in this run")
		}
		addr := ""
		if scheme == "" && r.Inv != nil {
			if h, ok := r.Inv.Hosts[name]; ok {
				addr = h.Addr()
			}
		}
		ex, err := r.NewSim(name, addr)
		if err != nil {
			return nil, err
		}
		return env.NewTarget(name, &counting{inner: ex}), nil
	}
	addr := name
	if scheme == "" && r.Inv != nil {
		if h, ok := r.Inv.Hosts[name]; ok {
			addr, user, port = h.Addr(), h.Var("ansible_user", user), h.Port()
			become = become || h.Become()
		}
	}
	if r.pool == nil {
		p, err := sshexec.NewPool(r.SSH)
		if err != nil {
			return nil, err
		}
		r.pool = p
	}
	x, err := r.pool.HostAs(display, addr, user, port, become)
	if err != nil {
		return nil, err
	}
	return env.NewTarget(display, &counting{inner: x}), nil
}
