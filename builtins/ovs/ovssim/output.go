package ovssim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// Cells in OVSDB's JSON (RFC 7047 §5.1), as ovs-vsctl --format=json
// prints them: an empty set is ["set",[]], a set of one its bare atom.
func jstr(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func juuid(u string) string { return `["uuid",` + jstr(u) + `]` }

func jset(atoms []string) string {
	if len(atoms) == 1 {
		return atoms[0]
	}
	return `["set",[` + strings.Join(atoms, ",") + `]]`
}

// columns each table prints, by name.
func (s *State) bridgeCell(b *Bridge, col string) (string, bool) {
	switch col {
	case "_uuid":
		return juuid(b.UUID), true
	case "name":
		return jstr(b.Name), true
	case "datapath_type":
		return jstr(b.DatapathType), true
	case "ports":
		var refs []string
		for _, p := range b.Ports {
			refs = append(refs, juuid(p.UUID))
		}
		return jset(refs), true
	}
	return "", false
}

func portCell(p *Port, col string) (string, bool) {
	switch col {
	case "_uuid":
		return juuid(p.UUID), true
	case "name":
		return jstr(p.Name), true
	case "tag":
		if p.Tag == 0 {
			return jset(nil), true
		}
		return strconv.Itoa(p.Tag), true
	case "trunks":
		return jset(nil), true
	case "interfaces":
		return juuid(p.IfaceUUID), true
	}
	return "", false
}

func ifaceCell(p *Port, col string) (string, bool) {
	switch col {
	case "_uuid":
		return juuid(p.IfaceUUID), true
	case "name":
		return jstr(p.Name), true
	case "type":
		return jstr(p.Type), true
	case "error":
		if p.Error == "" {
			return jset(nil), true
		}
		return jstr(p.Error), true
	}
	return "", false
}

// list prints `list TABLE [RECORD...]` with --columns, as JSON only.
func (s *State) list(c command, g global) exec.Result {
	t, ok := table(c.args[0])
	if !ok {
		return sim.Fail(2, fmt.Sprintf("ovs-vsctl: the simulated host keeps only the Bridge, Port and Interface tables, not %q\n", c.args[0]))
	}
	cols, ok := c.opts["--columns"]
	if g.format != "json" || !ok || cols == "" {
		return sim.Fail(2, "ovs-vsctl: the simulated host prints tables only with --format=json --columns=...\n")
	}
	heads := strings.Split(cols, ",")
	want, missing := map[string]bool{}, map[string]bool{}
	for _, r := range c.args[1:] {
		want[r], missing[r] = true, true
	}
	var rows []string
	row := func(name string, cell func(col string) (string, bool)) *exec.Result {
		if len(want) > 0 && !want[name] {
			return nil
		}
		delete(missing, name)
		cells := make([]string, len(heads))
		for i, h := range heads {
			v, ok := cell(h)
			if !ok {
				r := fail(fmt.Sprintf("%s does not contain a column whose name matches \"%s\"", t, h))
				return &r
			}
			cells[i] = v
		}
		rows = append(rows, "["+strings.Join(cells, ",")+"]")
		return nil
	}
	for _, b := range s.Bridges {
		if t == "Bridge" {
			if r := row(b.Name, func(col string) (string, bool) { return s.bridgeCell(b, col) }); r != nil {
				return *r
			}
			continue
		}
		for _, p := range b.Ports {
			cell := func(col string) (string, bool) { return portCell(p, col) }
			if t == "Interface" {
				cell = func(col string) (string, bool) { return ifaceCell(p, col) }
			}
			if r := row(p.Name, cell); r != nil {
				return *r
			}
		}
	}
	for _, r := range c.args[1:] {
		if !missing[r] {
			continue
		}
		return fail(fmt.Sprintf("no row \"%s\" in table %s", r, t))
	}
	quoted := make([]string, len(heads))
	for i, h := range heads {
		quoted[i] = jstr(h)
	}
	return sim.OK(`{"data":[` + strings.Join(rows, ",") + `],"headings":[` + strings.Join(quoted, ",") + "]}\n")
}

// show prints `ovs-vsctl show`: ports in the order the fake keeps them
// (the real one prints ovsdb's hash order).
func (s *State) show() string {
	var b strings.Builder
	b.WriteString(s.RootUUID + "\n")
	for _, br := range s.Bridges {
		fmt.Fprintf(&b, "    Bridge %s\n", quote(br.Name))
		if br.DatapathType != "" {
			fmt.Fprintf(&b, "        datapath_type: %s\n", br.DatapathType)
		}
		for _, p := range br.Ports {
			fmt.Fprintf(&b, "        Port %s\n", quote(p.Name))
			if p.Tag != 0 {
				fmt.Fprintf(&b, "            tag: %d\n", p.Tag)
			}
			fmt.Fprintf(&b, "            Interface %s\n", quote(p.Name))
			if p.Type != "" {
				fmt.Fprintf(&b, "                type: %s\n", p.Type)
			}
			if p.Error != "" {
				fmt.Fprintf(&b, "                error: %s\n", jstr(p.Error))
			}
		}
	}
	return b.String()
}

// quote is how ovs-vsctl shows a string atom: bare when it reads as an
// identifier, else as a JSON string.
func quote(s string) string {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.')) {
			return jstr(s)
		}
	}
	if s == "" {
		return jstr(s)
	}
	return s
}
