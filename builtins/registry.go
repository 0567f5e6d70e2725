// Package builtins is the registry of vrun's builtin modules: the one place
// that lists them, so the interpreter, `vrun doc` and the REPL see the same
// set. Each module lives in its own package under builtins/.
package builtins

import (
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/bridge"
	"github.com/vrun-dev/vrun/builtins/cloudstack"
	"github.com/vrun-dev/vrun/builtins/cloudstack/cssim"
	"github.com/vrun-dev/vrun/builtins/collie"
	"github.com/vrun-dev/vrun/builtins/collie/dogsim"
	"github.com/vrun-dev/vrun/builtins/core"
	"github.com/vrun-dev/vrun/builtins/debootstrap"
	"github.com/vrun-dev/vrun/builtins/debootstrap/debootstrapsim"
	"github.com/vrun-dev/vrun/builtins/fs"
	"github.com/vrun-dev/vrun/builtins/fs/fssim"
	"github.com/vrun-dev/vrun/builtins/hosts"
	"github.com/vrun-dev/vrun/builtins/ifcfg"
	"github.com/vrun-dev/vrun/builtins/ifupdown"
	"github.com/vrun-dev/vrun/builtins/journal"
	"github.com/vrun-dev/vrun/builtins/lvm"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
	"github.com/vrun-dev/vrun/builtins/lxc"
	"github.com/vrun-dev/vrun/builtins/lxc/lxcsim"
	"github.com/vrun-dev/vrun/builtins/ovs"
	"github.com/vrun-dev/vrun/builtins/ovs/ovssim"
	"github.com/vrun-dev/vrun/builtins/qemu"
	"github.com/vrun-dev/vrun/builtins/qemu/qemusim"
	"github.com/vrun-dev/vrun/builtins/repo"
	"github.com/vrun-dev/vrun/builtins/repo/reposim"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/virsh"
	"github.com/vrun-dev/vrun/builtins/virsh/virshsim"
	"github.com/vrun-dev/vrun/builtins/vlan"
	"github.com/vrun-dev/vrun/builtins/xen"
	"github.com/vrun-dev/vrun/builtins/xen/xensim"
)

// Entry is one registered module.
type Entry struct {
	Module *starutil.Module
	// Sim installs the fakes of the module's tools on a simulated host;
	// nil when the module runs no host commands of its own.
	Sim func(h *sim.Host)
}

// All lists every module, top level first.
func All() []Entry {
	entries := []Entry{}
	for _, m := range core.Modules() {
		entries = append(entries, Entry{Module: m})
	}
	return append(entries,
		// Modules beyond the core register here, one line each.
		Entry{Module: journal.Module()},
		Entry{Module: cloudstack.Module(), Sim: cssim.Install},
		Entry{Module: lvm.Module(), Sim: lvmsim.Install},
		Entry{Module: fs.Module(), Sim: fssim.Install},
		Entry{Module: collie.Module("collie"), Sim: dogsim.Install}, // installs the dog and collie fakes
		Entry{Module: collie.Module("dog")},
		Entry{Module: qemu.Module(), Sim: qemusim.Install},
		Entry{Module: vlan.Module()}, // its ip is the host's
		Entry{Module: repo.Module(), Sim: reposim.Install},
		Entry{Module: xen.Module(), Sim: xensim.Install},
		Entry{Module: ovs.Module(), Sim: ovssim.Install},
		Entry{Module: bridge.Module()}, // ip is the host's shared command
		Entry{Module: ifcfg.Module()},  // files are the host's
		Entry{Module: virsh.Module(), Sim: virshsim.Install},
		Entry{Module: lxc.Module(), Sim: lxcsim.Install},
		Entry{Module: ifupdown.Module()},
		Entry{Module: debootstrap.Module(), Sim: debootstrapsim.Install},
		Entry{Module: hosts.Module()}, // host(), on(), inventory(): top level
	)
}

// Predeclared builds the names every recipe and REPL session starts with.
func Predeclared(entries []Entry) starlark.StringDict {
	d := starlark.StringDict{}
	for _, e := range entries {
		if e.Module.Name == "" {
			for k, v := range e.Module.Members() {
				d[k] = v
			}
			continue
		}
		d[e.Module.Name] = e.Module.Value()
	}
	return d
}

// Docs lists the docs of every builtin, by module order then name.
func Docs(entries []Entry) []starutil.Doc {
	var out []starutil.Doc
	for _, e := range entries {
		out = append(out, e.Module.Docs()...)
	}
	return out
}

// SecretEnv lists the environment variables the modules declare as
// holding secrets.
func SecretEnv(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Module.SecretEnv...)
	}
	return out
}

// InstallSim registers every module's fakes on h. Two fakes for one
// command name are an error: the modules must share one.
func InstallSim(entries []Entry, h *sim.Host) error {
	for _, e := range entries {
		if e.Sim != nil {
			e.Sim(h)
		}
	}
	h.Settle()
	return h.Err()
}

// NewSimHost returns a simulated host with every module's fakes installed:
// the one way tests and --sim make a host.
func NewSimHost(entries []Entry) (*sim.Host, error) {
	h := sim.New()
	if err := InstallSim(entries, h); err != nil {
		return nil, err
	}
	return h, nil
}
