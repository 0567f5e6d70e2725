package ovs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// The OVSDB JSON that `ovs-vsctl --format=json list TABLE` prints
// (RFC 7047 §5.1): {"data": [[cell...]...], "headings": [column...]}, one
// object per command, each on its own line. A cell is an atom (string,
// number, bool, ["uuid", U]), a set ["set", [atoms]] (a set of exactly one
// element is printed as the bare atom) or a map ["map", [[k, v]...]].

// Row is one table row by column name; sets are []any, uuids UUID.
type Row map[string]any

// UUID is a reference to a row of another table.
type UUID string

// ParseTables reads the output of several `list` commands joined by "--":
// one table per non-empty line.
func ParseTables(out []byte) ([][]Row, error) {
	var tables [][]Row
	for _, line := range bytes.Split(out, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rows, err := ParseTable(line)
		if err != nil {
			return nil, err
		}
		tables = append(tables, rows)
	}
	return tables, nil
}

// ParseTable reads one `list` result.
func ParseTable(line []byte) ([]Row, error) {
	var t struct {
		Data     [][]json.RawMessage `json:"data"`
		Headings []string            `json:"headings"`
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("ovs-vsctl printed no JSON table (%v): %.200q", err, line)
	}
	if t.Headings == nil {
		return nil, fmt.Errorf("ovs-vsctl printed a table without headings: %.200q", line)
	}
	rows := make([]Row, 0, len(t.Data))
	for i, cells := range t.Data {
		if len(cells) != len(t.Headings) {
			return nil, fmt.Errorf("ovs-vsctl table row %d has %d cells for %d headings", i, len(cells), len(t.Headings))
		}
		r := Row{}
		for j, c := range cells {
			v, err := cell(c)
			if err != nil {
				return nil, fmt.Errorf("ovs-vsctl table row %d, column %s: %v", i, t.Headings[j], err)
			}
			r[t.Headings[j]] = v
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// cell decodes one OVSDB value.
func cell(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return decode(v, 0)
}

func decode(v any, depth int) (any, error) {
	arr, ok := v.([]any)
	if !ok {
		return v, nil // string, json.Number, bool
	}
	if len(arr) != 2 {
		return nil, fmt.Errorf("unexpected value %v", v)
	}
	tag, _ := arr[0].(string)
	// Inside a set or map only atoms: a uuid is the one that is a list.
	if depth > 0 && tag != "uuid" && tag != "named-uuid" {
		return nil, fmt.Errorf("unexpected value %v", v)
	}
	switch tag {
	case "uuid", "named-uuid":
		s, ok := arr[1].(string)
		if !ok {
			return nil, fmt.Errorf("uuid is not a string: %v", arr[1])
		}
		return UUID(s), nil
	case "set":
		elems, ok := arr[1].([]any)
		if !ok {
			return nil, fmt.Errorf("set is not a list: %v", arr[1])
		}
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			x, err := decode(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case "map":
		pairs, ok := arr[1].([]any)
		if !ok {
			return nil, fmt.Errorf("map is not a list: %v", arr[1])
		}
		out := map[string]any{}
		for _, p := range pairs {
			kv, ok := p.([]any)
			if !ok || len(kv) != 2 {
				return nil, fmt.Errorf("map entry is not a pair: %v", p)
			}
			k, err := decode(kv[0], depth+1)
			if err != nil {
				return nil, err
			}
			val, err := decode(kv[1], depth+1)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = val
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected value %v", v)
}

// set is a column read as a set: a bare atom is a set of one.
func set(v any) []any {
	if s, ok := v.([]any); ok {
		return s
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// Switch is what `ovs.show()` returns: the bridges, their ports and each
// port's interfaces, sorted by name (ovsdb lists rows in hash order).
type Switch struct {
	Bridges []Bridge `json:"bridges"`
}

// Bridge is one row of the Bridge table.
type Bridge struct {
	Name         string `json:"name"`
	DatapathType string `json:"datapath_type"` // "" (system), "system" or "netdev"
	Ports        []Port `json:"ports"`
}

// Port is one row of the Port table with its interfaces.
type Port struct {
	Name       string      `json:"name"`
	Tag        int         `json:"tag"` // 0: no tag (an access port of every VLAN)
	Trunks     []int       `json:"trunks"`
	Interfaces []Interface `json:"interfaces"`
}

// Interface is one row of the Interface table.
type Interface struct {
	Name  string `json:"name"`
	Type  string `json:"type"`  // "" (a system device), "internal", "patch"...
	Error string `json:"error"` // why ovs-vswitchd could not set it up
}

// ParseSwitch builds the switch from the three tables stateArgs lists:
// Bridge (name, ports, datapath_type), Port (_uuid, name, tag, trunks,
// interfaces) and Interface (_uuid, name, type, error). A reference to a
// row that is not there is an error: the tables were read in one
// transaction, so it means the output is not what vrun asked for.
func ParseSwitch(out []byte) (Switch, error) {
	tables, err := ParseTables(out)
	if err != nil {
		return Switch{}, err
	}
	if len(tables) != 3 {
		return Switch{}, fmt.Errorf("ovs-vsctl printed %d tables, want 3 (Bridge, Port, Interface)", len(tables))
	}
	ifaces := map[UUID]Interface{}
	for _, r := range tables[2] {
		id, _ := r["_uuid"].(UUID)
		i := Interface{Name: str(r["name"]), Type: str(r["type"])}
		if e := set(r["error"]); len(e) == 1 {
			i.Error = str(e[0])
		}
		ifaces[id] = i
	}
	ports := map[UUID]Port{}
	for _, r := range tables[1] {
		id, _ := r["_uuid"].(UUID)
		p := Port{Name: str(r["name"]), Trunks: []int{}}
		if t := set(r["tag"]); len(t) == 1 {
			if p.Tag, err = integer(t[0]); err != nil {
				return Switch{}, fmt.Errorf("port %s: tag: %v", p.Name, err)
			}
		}
		for _, t := range set(r["trunks"]) {
			n, err := integer(t)
			if err != nil {
				return Switch{}, fmt.Errorf("port %s: trunks: %v", p.Name, err)
			}
			p.Trunks = append(p.Trunks, n)
		}
		for _, ref := range set(r["interfaces"]) {
			i, ok := ifaces[toUUID(ref)]
			if !ok {
				return Switch{}, fmt.Errorf("port %s names interface %v, which ovs-vsctl did not list", p.Name, ref)
			}
			p.Interfaces = append(p.Interfaces, i)
		}
		sort.Slice(p.Interfaces, func(a, b int) bool { return p.Interfaces[a].Name < p.Interfaces[b].Name })
		sort.Ints(p.Trunks)
		ports[id] = p
	}
	var sw Switch
	for _, r := range tables[0] {
		b := Bridge{Name: str(r["name"]), DatapathType: str(r["datapath_type"]), Ports: []Port{}}
		for _, ref := range set(r["ports"]) {
			p, ok := ports[toUUID(ref)]
			if !ok {
				return Switch{}, fmt.Errorf("bridge %s names port %v, which ovs-vsctl did not list", b.Name, ref)
			}
			b.Ports = append(b.Ports, p)
		}
		sort.Slice(b.Ports, func(i, j int) bool { return b.Ports[i].Name < b.Ports[j].Name })
		sw.Bridges = append(sw.Bridges, b)
	}
	sort.Slice(sw.Bridges, func(i, j int) bool { return sw.Bridges[i].Name < sw.Bridges[j].Name })
	return sw, nil
}

func toUUID(v any) UUID { u, _ := v.(UUID); return u }

func str(v any) string { s, _ := v.(string); return s }

func integer(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("got %v, want an integer", v)
	}
	i, err := n.Int64()
	if err != nil || i < 0 || i > 1<<31 {
		return 0, fmt.Errorf("got %v, want an integer", v)
	}
	return int(i), nil
}

// Bridge finds a bridge by name.
func (s Switch) Bridge(name string) (Bridge, bool) {
	for _, b := range s.Bridges {
		if b.Name == name {
			return b, true
		}
	}
	return Bridge{}, false
}

// PortOf finds the bridge holding a port.
func (s Switch) PortOf(name string) (Port, string, bool) {
	for _, b := range s.Bridges {
		for _, p := range b.Ports {
			if p.Name == name {
				return p, b.Name, true
			}
		}
	}
	return Port{}, "", false
}

// Names lists the bridges' names.
func (s Switch) Names() []string {
	out := []string{}
	for _, b := range s.Bridges {
		out = append(out, b.Name)
	}
	return out
}
