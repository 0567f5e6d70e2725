package ovssim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func (s *State) addBr(c command) (exec.Result, bool) {
	name := c.args[0]
	if len(c.args) > 1 {
		return sim.Fail(2, "ovs-vsctl: the simulated host supports no fake bridges (add-br BR PARENT VLAN)\n"), false
	}
	if _, ok := s.bridge(name); ok {
		if _, may := c.opts["--may-exist"]; may {
			return sim.OK(""), false
		}
		return fail(fmt.Sprintf("cannot create a bridge named %s because a bridge named %s already exists", name, name)), false
	}
	if _, b, ok := s.port(name); ok {
		return fail(fmt.Sprintf("cannot create a bridge named %s because a port named %s already exists on bridge %s", name, name, b.Name)), false
	}
	b := &Bridge{Name: name, UUID: s.uuid("br-" + name)}
	b.Ports = []*Port{{Name: name, UUID: s.uuid("port-" + name), IfaceUUID: s.uuid("iface-" + name), Type: "internal"}}
	s.Bridges = append(s.Bridges, b)
	return sim.OK(""), true
}

func (s *State) delBr(c command) (exec.Result, bool) {
	name := c.args[0]
	for i, b := range s.Bridges {
		if b.Name == name {
			s.Bridges = append(s.Bridges[:i], s.Bridges[i+1:]...)
			return sim.OK(""), true
		}
	}
	if _, ok := c.opts["--if-exists"]; ok {
		return sim.OK(""), false
	}
	return fail("no bridge named " + name), false
}

func (s *State) addPort(c command) (exec.Result, bool) {
	brName, name := c.args[0], c.args[1]
	if _, ok := s.bridge(name); ok {
		return fail(fmt.Sprintf("cannot create a port named %s because a bridge named %s already exists", name, name)), false
	}
	if _, on, ok := s.port(name); ok {
		_, may := c.opts["--may-exist"]
		switch {
		case may && on.Name == brName:
			return sim.OK(""), false
		case may:
			return fail(fmt.Sprintf("\"--may-exist add-port %s %s\" but %s is actually attached to bridge %s", brName, name, name, on.Name)), false
		}
		return fail(fmt.Sprintf("cannot create a port named %s because a port named %s already exists on bridge %s", name, name, on.Name)), false
	}
	br, ok := s.bridge(brName)
	if !ok {
		return fail("no bridge named " + brName), false
	}
	p := &Port{Name: name, UUID: s.uuid("port-" + name), IfaceUUID: s.uuid("iface-" + name)}
	for _, kv := range c.args[2:] {
		if r := setPortColumn(p, kv); r != nil {
			return *r, false
		}
	}
	br.Ports = append(br.Ports, p)
	return sim.OK(""), true
}

func (s *State) delPort(c command) (exec.Result, bool) {
	name := c.args[len(c.args)-1]
	_, ifExists := c.opts["--if-exists"]
	_, on, ok := s.port(name)
	if !ok {
		if ifExists {
			return sim.OK(""), false
		}
		return fail("no port named " + name), false
	}
	if len(c.args) == 2 && c.args[0] != on.Name {
		if _, ok := s.bridge(c.args[0]); !ok {
			return fail("no bridge named " + c.args[0]), false
		}
		return fail(fmt.Sprintf("bridge %s does not have a port %s", c.args[0], name)), false
	}
	for i, p := range on.Ports {
		if p.Name == name {
			on.Ports = append(on.Ports[:i], on.Ports[i+1:]...)
		}
	}
	return sim.OK(""), true
}

// table finds a table by a case-insensitive name, as ovs-vsctl does.
func table(name string) (string, bool) {
	for _, t := range []string{"Bridge", "Port", "Interface"} {
		if strings.EqualFold(name, t) {
			return t, true
		}
	}
	return "", false
}

// set runs `set TABLE RECORD COL=VALUE...` and `clear TABLE RECORD COL...`.
func (s *State) set(c command) (exec.Result, bool) {
	t, ok := table(c.args[0])
	if !ok {
		return sim.Fail(2, fmt.Sprintf("ovs-vsctl: the simulated host keeps only the Bridge, Port and Interface tables, not %q\n", c.args[0])), false
	}
	rec := c.args[1]
	var port *Port
	var br *Bridge
	if t == "Bridge" {
		br, ok = s.bridge(rec)
	} else {
		port, _, ok = s.port(rec)
	}
	if !ok {
		return fail(fmt.Sprintf("no row \"%s\" in table %s", rec, t)), false
	}
	for _, kv := range c.args[2:] {
		var r *exec.Result
		switch {
		case c.name == "clear" && t == "Port" && kv == "tag":
			port.Tag = 0
		case c.name == "set" && t == "Port":
			r = setPortColumn(port, kv)
		case c.name == "set" && t == "Interface" && strings.HasPrefix(kv, "type="):
			port.Type, port.Error = strings.TrimPrefix(kv, "type="), ""
		case c.name == "set" && t == "Bridge" && strings.HasPrefix(kv, "datapath_type="):
			br.DatapathType = strings.TrimPrefix(kv, "datapath_type=")
		default:
			res := sim.Fail(2, fmt.Sprintf("ovs-vsctl: the simulated host supports only Port tag, Interface type and Bridge datapath_type, not %s %s %q\n", c.name, t, kv))
			r = &res
		}
		if r != nil {
			return *r, false
		}
	}
	return sim.OK(""), true
}

// setPortColumn applies tag=N (ovsdb's constraint: 0 to 4095).
func setPortColumn(p *Port, kv string) *exec.Result {
	k, v, _ := strings.Cut(kv, "=")
	if k != "tag" {
		r := sim.Fail(2, fmt.Sprintf("ovs-vsctl: the simulated host supports only the tag column of Port, not %q\n", kv))
		return &r
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r := fail(fmt.Sprintf("\"%s\" is not a valid integer or range", v))
		return &r
	}
	if n < 0 || n > 4095 {
		r := fail(fmt.Sprintf("constraint violation: %d is not in the valid range 0 to 4095 (inclusive)", n))
		return &r
	}
	p.Tag = int(n)
	return nil
}

// query answers list-br, list-ports, br-exists and port-to-br.
func (s *State) query(c command) exec.Result {
	var names []string
	switch c.name {
	case "list-br":
		for _, b := range s.Bridges {
			names = append(names, b.Name)
		}
	case "list-ports":
		b, ok := s.bridge(c.args[0])
		if !ok {
			return fail("no bridge named " + c.args[0])
		}
		for _, p := range b.Ports {
			if p.Name != b.Name {
				names = append(names, p.Name)
			}
		}
	case "br-exists":
		if _, ok := s.bridge(c.args[0]); !ok {
			return sim.Fail(2, "")
		}
	case "port-to-br":
		_, b, ok := s.port(c.args[0])
		if !ok {
			return fail("no port named " + c.args[0])
		}
		names = []string{b.Name}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return sim.OK("")
	}
	return sim.OK(strings.Join(names, "\n") + "\n")
}
