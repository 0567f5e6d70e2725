package ovssim

import (
	"context"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The sockets ovsdb-server listens on here (Debian's and RHEL's rundir).
var defaultDBs = map[string]bool{"": true, "unix:/var/run/openvswitch/db.sock": true, "unix:/run/openvswitch/db.sock": true}

// command is one ovs-vsctl command of a command line ("--" separated).
type command struct {
	opts map[string]string // --may-exist, --if-exists, --columns=...
	name string
	args []string
}

// global are ovs-vsctl's own options (before the first command).
type global struct {
	db, format string
	noWait     bool
}

func vsctl(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	g, cmds, bad := parse(c.Argv[1:])
	if bad != nil {
		return *bad
	}
	if !defaultDBs[g.db] {
		return fail(fmt.Sprintf("%s: database connection failed (No such file or directory)", g.db))
	}
	s := Of(h)
	if s.DBDown {
		return fail("unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)")
	}
	tx := s.clone()
	var out strings.Builder
	changes := false
	for _, cmd := range cmds {
		r, changed := tx.run(cmd, g)
		if r.Code != 0 {
			return r // the transaction is dropped: nothing applies
		}
		changes = changes || changed
		out.Write(r.Stdout)
	}
	if !changes {
		return sim.OK(out.String())
	}
	*s = *tx
	if s.VswitchdDown {
		if g.noWait {
			return sim.OK(out.String())
		}
		// The database holds the change; nothing applies it.
		return exec.Result{Code: 128 + 14, Stdout: []byte(out.String()),
			Stderr: []byte("2026-01-01T00:00:00Z|00002|fatal_signal|WARN|terminating with signal 14 (Alarm clock)\n")}
	}
	// ovs-vsctl reports the interfaces this transaction touched that
	// ovs-vswitchd could not set up, and still exits 0.
	for _, p := range s.sync(sim.NetworkOf(h)) {
		if !touched(cmds, p.Name) || g.noWait {
			continue
		}
		return exec.Result{Stdout: []byte(out.String()), Stderr: []byte(fmt.Sprintf("ovs-vsctl: Error detected while setting up '%s': %s.  See ovs-vswitchd log for details.\novs-vsctl: The default log directory is \"/var/log/openvswitch\".\n", p.Name, p.Error))}
	}
	return sim.OK(out.String())
}

func fail(msg string) exec.Result { return sim.Fail(1, "ovs-vsctl: "+msg+"\n") }

// parse splits a command line as ovs-vsctl does: global options, then
// commands separated by "--", each with its own leading options.
func parse(args []string) (global, []command, *exec.Result) {
	var g global
	var cmds []command
	cur := command{opts: map[string]string{}}
	first := true
	flush := func() *exec.Result {
		if cur.name == "" {
			r := fail("missing command name (use --help for help)")
			return &r
		}
		cmds = append(cmds, cur)
		cur, first = command{opts: map[string]string{}}, false
		return nil
	}
	for _, a := range args {
		switch {
		case a == "--":
			if r := flush(); r != nil {
				return g, nil, r
			}
		case cur.name == "" && strings.HasPrefix(a, "--"):
			k, v, _ := strings.Cut(a, "=")
			switch {
			case k == "--may-exist" || k == "--if-exists" || k == "--columns":
				cur.opts[k] = v
			case first && k == "--db":
				g.db = v
			case first && k == "--format":
				g.format = v
			case first && k == "--no-wait":
				g.noWait = true
			case first && (k == "--timeout" || k == "--oneline"):
			default:
				r := fail(fmt.Sprintf("unrecognized option '%s'", a))
				return g, nil, &r
			}
		case cur.name == "":
			cur.name = a
		default:
			cur.args = append(cur.args, a)
		}
	}
	if r := flush(); r != nil {
		return g, nil, r
	}
	return g, cmds, nil
}

// arity is each command's minimum and maximum argument count.
var arity = map[string][2]int{
	"init": {0, 0}, "add-br": {1, 3}, "del-br": {1, 1}, "br-exists": {1, 1}, "list-br": {0, 0},
	"add-port": {2, 100}, "del-port": {1, 2}, "list-ports": {1, 1}, "port-to-br": {1, 1},
	"set": {3, 100}, "clear": {3, 100}, "list": {1, 100}, "show": {0, 0},
}

// run runs one command on the transaction; changed says it wrote.
func (s *State) run(c command, g global) (exec.Result, bool) {
	n, ok := arity[c.name]
	switch {
	case !ok:
		return sim.Fail(1, fmt.Sprintf("ovs-vsctl: unknown command '%s'; use --help for help\n", c.name)), false
	case len(c.args) < n[0]:
		return fail(fmt.Sprintf("'%s' command requires at least %d arguments", c.name, n[0])), false
	case len(c.args) > n[1]:
		return fail(fmt.Sprintf("'%s' command takes at most %d arguments", c.name, n[1])), false
	}
	switch c.name {
	case "init":
		return sim.OK(""), false
	case "add-br":
		return s.addBr(c)
	case "del-br":
		return s.delBr(c)
	case "add-port":
		return s.addPort(c)
	case "del-port":
		return s.delPort(c)
	case "set", "clear":
		return s.set(c)
	case "list":
		return s.list(c, g), false
	case "show":
		return sim.OK(s.show()), false
	}
	return s.query(c), false
}

// touched reports whether a command of the line adds or sets port name.
func touched(cmds []command, name string) bool {
	for _, c := range cmds {
		switch {
		case c.name == "add-port" && len(c.args) > 1 && c.args[1] == name:
			return true
		case (c.name == "set" || c.name == "clear") && len(c.args) > 1 && c.args[1] == name:
			return true
		}
	}
	return false
}
