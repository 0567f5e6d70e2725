package hosts

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ParseInventory reads an Ansible inventory, INI or YAML (by content: a
// YAML inventory is a mapping whose first key ends with ':').
func ParseInventory(name string, data []byte) (*Inventory, error) {
	var inv *Inventory
	var err error
	if looksYAML(data) {
		inv, err = parseYAML(data)
	} else {
		inv, err = parseINI(data)
	}
	if err == nil {
		err = inv.finish()
	}
	if err == nil {
		for _, h := range inv.order {
			if err = checkHost(inv.Hosts[h]); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %v", name, err)
	}
	return inv, nil
}

func looksYAML(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' || t == "---" {
			continue
		}
		return !strings.HasPrefix(t, "[") && strings.HasSuffix(strings.SplitN(t, " #", 2)[0], ":")
	}
	return false
}

// parseINI reads the INI format: [group], [group:vars], [group:children];
// host lines are NAME[:PORT] [key=value...] with values read as literals
// (ints, True/False, quoted strings), :vars values as strings, as Ansible.
func parseINI(data []byte) (*Inventory, error) {
	inv := newInventory()
	group, kind := "ungrouped", "hosts"
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		fail := func(format string, a ...any) error {
			return fmt.Errorf("line %d: %s", n, fmt.Sprintf(format, a...))
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				return nil, fail("unclosed section header %q", line)
			}
			group, kind = line[1:len(line)-1], "hosts"
			if g, k, ok := strings.Cut(group, ":"); ok {
				group, kind = g, k
			}
			if err := checkGroup(group); err != nil {
				return nil, fail("%v", err)
			}
			if kind != "hosts" && kind != "vars" && kind != "children" {
				return nil, fail("section [%s:%s]: want :vars or :children", group, kind)
			}
			inv.group(group)
			continue
		}
		words, err := split(line)
		if err != nil {
			return nil, fail("%v", err)
		}
		switch kind {
		case "children":
			if err := checkGroup(words[0]); err != nil || len(words) > 1 {
				return nil, fail("want one group name per line in [%s:children], got %q", group, line)
			}
			g := inv.group(group)
			if !contains(g.Children, words[0]) {
				g.Children = append(g.Children, words[0])
			}
			inv.group(words[0])
		case "vars":
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return nil, fail("want key=value in [%s:vars], got %q", group, line)
			}
			inv.group(group).Vars[strings.TrimSpace(k)] = unquote(strings.TrimSpace(v))
		default:
			vars := map[string]any{}
			for _, w := range words[1:] {
				k, v, ok := strings.Cut(w, "=")
				if !ok || k == "" {
					return nil, fail("host %s: want key=value, got %q", words[0], w)
				}
				vars[k] = literal(v)
			}
			name := words[0]
			if h, p, ok := strings.Cut(name, ":"); ok && !strings.Contains(p, ":") && !strings.Contains(name, "[") {
				port, err := strconv.Atoi(p)
				if err != nil {
					return nil, fail("host %q: bad port %q", name, p)
				}
				name, vars["ansible_port"] = h, port
			}
			names, err := expand(name)
			if err != nil {
				return nil, fail("%v", err)
			}
			for _, h := range names {
				if err := checkName(h); err != nil {
					return nil, fail("%v", err)
				}
				inv.addHost(group, h, vars)
			}
		}
	}
	return inv, sc.Err()
}

func checkGroup(name string) error {
	if name == "" || strings.HasPrefix(name, "-") || strings.ContainsAny(name, " \t:[]=,!&*?") {
		return fmt.Errorf("group name %q: want letters, digits, _ and -", name)
	}
	return nil
}

// split splits a host line into words, keeping quoted spans together.
func split(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range line {
		switch {
		case quote != 0:
			cur.WriteRune(r)
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote, in = r, true
			cur.WriteRune(r)
		case r == '#' && !in:
			return finishSplit(out, &cur, quote)
		case r == ' ' || r == '\t':
			if in {
				out, in = append(out, cur.String()), false
				cur.Reset()
			}
		default:
			in = true
			cur.WriteRune(r)
		}
	}
	return finishSplit(out, &cur, quote)
}

func finishSplit(out []string, cur *strings.Builder, quote rune) ([]string, error) {
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, nil
}

// literal reads a host-line value as Ansible does: numbers and booleans
// become values, quotes are removed, anything else is a string.
func literal(v string) any {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && strings.ContainsAny(v, ".eE") {
		return f
	}
	switch v {
	case "True", "true":
		return true
	case "False", "false":
		return false
	}
	return unquote(v)
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// parseYAML reads the YAML format: group: {hosts: {name: vars}, vars: {},
// children: {group: ...}} at any depth, keeping the file's order.
func parseYAML(data []byte) (*Inventory, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	inv := newInventory()
	if len(doc.Content) == 0 {
		return inv, nil
	}
	top, err := pairs(doc.Content[0], "the inventory")
	if err != nil {
		return nil, err
	}
	for _, kv := range top {
		if err := yamlGroup(inv, kv.key, kv.val, 0); err != nil {
			return nil, err
		}
	}
	return inv, nil
}

type pair struct {
	key string
	val *yaml.Node
}

// pairs lists a mapping's entries in order; null is an empty mapping.
func pairs(n *yaml.Node, what string) ([]pair, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: want a mapping (line %d)", what, n.Line)
	}
	var out []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, pair{n.Content[i].Value, n.Content[i+1]})
	}
	return out, nil
}

func yamlVars(n *yaml.Node, what string) (map[string]any, error) {
	ps, err := pairs(n, what)
	if err != nil {
		return nil, err
	}
	vars := map[string]any{}
	for _, p := range ps {
		var v any
		if err := p.val.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", what, p.key, err)
		}
		vars[p.key] = v
	}
	return vars, nil
}

func yamlGroup(inv *Inventory, name string, body *yaml.Node, depth int) error {
	if depth > 64 {
		return fmt.Errorf("group %q: nested more than 64 deep", name)
	}
	if err := checkGroup(name); err != nil {
		return err
	}
	inv.group(name)
	ps, err := pairs(body, "group "+strconv.Quote(name))
	if err != nil {
		return err
	}
	for _, p := range ps {
		switch p.key {
		case "hosts":
			hosts, err := pairs(p.val, "group "+strconv.Quote(name)+": hosts")
			if err != nil {
				return err
			}
			for _, h := range hosts {
				vars, err := yamlVars(h.val, "host "+strconv.Quote(h.key))
				if err != nil {
					return err
				}
				names, err := expand(h.key)
				if err != nil {
					return err
				}
				for _, n := range names {
					if err := checkName(n); err != nil {
						return err
					}
					inv.addHost(name, n, vars)
				}
			}
		case "vars":
			vars, err := yamlVars(p.val, "group "+strconv.Quote(name)+": vars")
			if err != nil {
				return err
			}
			for k, v := range vars {
				inv.Groups[name].Vars[k] = v
			}
		case "children":
			children, err := pairs(p.val, "group "+strconv.Quote(name)+": children")
			if err != nil {
				return err
			}
			for _, c := range children {
				g := inv.Groups[name]
				if !contains(g.Children, c.key) {
					g.Children = append(g.Children, c.key)
				}
				if err := yamlGroup(inv, c.key, c.val, depth+1); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("group %q: unknown key %q (want hosts, vars, children)", name, p.key)
		}
	}
	return nil
}
