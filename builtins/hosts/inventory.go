package hosts

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Inventory is an Ansible inventory: groups (with "all" and "ungrouped"),
// hosts with the variables that apply to them, merged as Ansible does:
// all, then parent groups before their children, then the host's own.
type Inventory struct {
	Groups map[string]*Group
	Hosts  map[string]*InvHost
	order  []string // hosts in order of first appearance
}

// Group is one group of an inventory.
type Group struct {
	Name     string
	Hosts    []string // direct members
	Children []string
	Vars     map[string]any
	depth    int
}

// InvHost is one host with its own and merged variables.
type InvHost struct {
	Name string
	Own  map[string]any
	Vars map[string]any // merged
}

func newInventory() *Inventory {
	inv := &Inventory{Groups: map[string]*Group{}, Hosts: map[string]*InvHost{}}
	inv.group("all")
	inv.group("ungrouped")
	return inv
}

func (inv *Inventory) group(name string) *Group {
	g, ok := inv.Groups[name]
	if !ok {
		g = &Group{Name: name, Vars: map[string]any{}}
		inv.Groups[name] = g
	}
	return g
}

func (inv *Inventory) addHost(group, name string, vars map[string]any) {
	inv.ensureHost(name, vars)
	g := inv.group(group)
	if !contains(g.Hosts, name) {
		g.Hosts = append(g.Hosts, name)
	}
}

// ensureHost records name (first appearance fixes its order) and its own
// variables.
func (inv *Inventory) ensureHost(name string, vars map[string]any) {
	h, ok := inv.Hosts[name]
	if !ok {
		h = &InvHost{Name: name, Own: map[string]any{}}
		inv.Hosts[name] = h
		inv.order = append(inv.order, name)
	}
	for k, v := range vars {
		h.Own[k] = v
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// finish checks the child graph, puts hosts without a group in
// "ungrouped", and merges variables.
func (inv *Inventory) finish() error {
	for _, g := range inv.Groups {
		if g.Name != "all" && !contains(inv.Groups["all"].Children, g.Name) && !inv.isChild(g.Name) {
			inv.Groups["all"].Children = append(inv.Groups["all"].Children, g.Name)
		}
	}
	sort.Strings(inv.Groups["all"].Children)
	if err := inv.depths(); err != nil {
		return err
	}
	for _, name := range inv.order {
		if len(inv.groupsOf(name)) == 0 {
			inv.group("ungrouped").Hosts = append(inv.group("ungrouped").Hosts, name)
		}
	}
	for _, name := range inv.order {
		h := inv.Hosts[name]
		h.Vars = map[string]any{}
		gs := inv.ancestry(name)
		sort.SliceStable(gs, func(i, j int) bool {
			if gs[i].depth != gs[j].depth {
				return gs[i].depth < gs[j].depth
			}
			return gs[i].Name < gs[j].Name
		})
		for _, g := range gs {
			for k, v := range g.Vars {
				h.Vars[k] = v
			}
		}
		for k, v := range h.Own {
			h.Vars[k] = v
		}
	}
	return nil
}

func (inv *Inventory) isChild(name string) bool {
	for _, g := range inv.Groups {
		if contains(g.Children, name) {
			return true
		}
	}
	return false
}

// depths refuses cycles among children (looking from every group: groups
// in a cycle are nobody's top-level child) and sets each group's depth,
// its longest path from all, in linear time.
func (inv *Inventory) depths() error {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var visit func(name string) error
	visit = func(name string) error {
		switch state[name] {
		case active:
			return fmt.Errorf("group %q is its own descendant (a cycle in children)", name)
		case done:
			return nil
		}
		state[name] = active
		for _, c := range inv.Groups[name].Children {
			if err := visit(c); err != nil {
				return err
			}
		}
		state[name] = done
		return nil
	}
	parents := map[string][]string{}
	for name, g := range inv.Groups {
		if err := visit(name); err != nil {
			return err
		}
		for _, c := range g.Children {
			parents[c] = append(parents[c], name)
		}
	}
	memo := map[string]int{}
	var depth func(name string) int
	depth = func(name string) int {
		if d, ok := memo[name]; ok {
			return d
		}
		d := 0
		for _, p := range parents[name] {
			d = max(d, depth(p)+1)
		}
		memo[name] = d
		return d
	}
	for name, g := range inv.Groups {
		g.depth = depth(name)
	}
	return nil
}

// groupsOf lists the groups naming host directly, "all" aside.
func (inv *Inventory) groupsOf(host string) []*Group {
	var out []*Group
	for _, g := range inv.Groups {
		if g.Name != "all" && contains(g.Hosts, host) {
			out = append(out, g)
		}
	}
	return out
}

// ancestry lists every group host belongs to, directly or through
// children, "all" included.
func (inv *Inventory) ancestry(host string) []*Group {
	seen := map[string]bool{"all": true}
	out := []*Group{inv.Groups["all"]}
	var up func(name string)
	up = func(name string) {
		for _, g := range inv.Groups {
			if contains(g.Children, name) && !seen[g.Name] {
				seen[g.Name] = true
				out = append(out, g)
				up(g.Name)
			}
		}
	}
	for _, g := range inv.groupsOf(host) {
		if !seen[g.Name] {
			seen[g.Name] = true
			out = append(out, g)
		}
		up(g.Name)
	}
	return out
}

// Members lists the hosts of group, children included, in inventory order.
func (inv *Inventory) Members(group string) ([]string, bool) {
	if group == "all" {
		return append([]string(nil), inv.order...), true
	}
	if _, ok := inv.Groups[group]; !ok {
		return nil, false
	}
	in := map[string]bool{}
	var walk func(name string, seen map[string]bool)
	walk = func(name string, seen map[string]bool) {
		if seen[name] {
			return
		}
		seen[name] = true
		g := inv.Groups[name]
		for _, h := range g.Hosts {
			in[h] = true
		}
		for _, c := range g.Children {
			walk(c, seen)
		}
	}
	walk(group, map[string]bool{})
	var out []string
	for _, h := range inv.order {
		if in[h] {
			out = append(out, h)
		}
	}
	return out, true
}

// merge adds other's groups and hosts to inv (a second inventory()).
func (inv *Inventory) merge(other *Inventory) error {
	for _, name := range other.order {
		inv.ensureHost(name, other.Hosts[name].Own)
	}
	inv.group("ungrouped").Hosts = nil // finish recomputes it
	for name, og := range other.Groups {
		g := inv.group(name)
		for _, h := range og.Hosts {
			if !contains(g.Hosts, h) {
				g.Hosts = append(g.Hosts, h)
			}
		}
		for _, c := range og.Children {
			if !contains(g.Children, c) {
				g.Children = append(g.Children, c)
			}
		}
		for k, v := range og.Vars {
			g.Vars[k] = v
		}
	}
	return inv.finish()
}

// Addr is where to connect: ansible_host, else the name.
func (h *InvHost) Addr() string { return h.Var("ansible_host", h.Name) }

// Var returns a variable as a string, or def.
func (h *InvHost) Var(k, def string) string {
	if v, ok := h.Vars[k]; ok && v != nil {
		return fmt.Sprint(v)
	}
	return def
}

// Port is ansible_port (0: the ssh_config's or 22).
func (h *InvHost) Port() int {
	p, _ := strconv.Atoi(h.Var("ansible_port", "0"))
	return p
}

// Become reports ansible_become.
func (h *InvHost) Become() bool {
	switch strings.ToLower(h.Var("ansible_become", "")) {
	case "true", "yes", "1", "on":
		return true
	}
	return false
}

// checkHost validates a host's connection variables.
func checkHost(h *InvHost) error {
	if v, ok := h.Vars["ansible_port"]; ok {
		if p, err := strconv.Atoi(fmt.Sprint(v)); err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("host %s: ansible_port %v: want 1-65535", h.Name, v)
		}
	}
	if err := checkName(h.Addr()); err != nil {
		return fmt.Errorf("host %s: ansible_host: %v", h.Name, err)
	}
	if u := h.Var("ansible_user", ""); strings.HasPrefix(u, "-") || strings.ContainsAny(u, " \t\n@:") {
		return fmt.Errorf("host %s: ansible_user %q is not a user name", h.Name, u)
	}
	return nil
}

var errTooMany = errors.New("a host range expands to more than 10000 hosts")

// expand expands Ansible host ranges: node[01:03], db-[a:c], web[1:9:2].
func expand(pattern string) ([]string, error) {
	i := strings.IndexByte(pattern, '[')
	if i < 0 {
		return []string{pattern}, nil
	}
	j := strings.IndexByte(pattern[i:], ']')
	if j < 0 {
		return nil, fmt.Errorf("host pattern %q: unclosed [", pattern)
	}
	j += i
	spec := strings.Split(pattern[i+1:j], ":")
	if len(spec) < 2 || len(spec) > 3 {
		return nil, fmt.Errorf("host pattern %q: want [START:END] or [START:END:STEP]", pattern)
	}
	step := 1
	if len(spec) == 3 {
		var err error
		if step, err = strconv.Atoi(spec[2]); err != nil || step < 1 {
			return nil, fmt.Errorf("host pattern %q: bad step %q", pattern, spec[2])
		}
	}
	var items []string
	if a, err1 := strconv.Atoi(spec[0]); err1 == nil {
		b, err := strconv.Atoi(spec[1])
		if err != nil || b < a || a < 0 || (b-a)/step > 10000 {
			return nil, fmt.Errorf("host pattern %q: bad range %s:%s", pattern, spec[0], spec[1])
		}
		for n := a; n <= b; n += step {
			s := strconv.Itoa(n)
			if len(spec[0]) > 1 && spec[0][0] == '0' { // keep the width: [01:10]
				s = fmt.Sprintf("%0*d", len(spec[0]), n)
			}
			items = append(items, s)
		}
	} else if len(spec[0]) == 1 && len(spec[1]) == 1 && spec[0][0] <= spec[1][0] {
		for c := spec[0][0]; c <= spec[1][0]; c += byte(step) {
			items = append(items, string(c))
			if int(c)+step > 255 {
				break
			}
		}
	} else {
		return nil, fmt.Errorf("host pattern %q: bad range %s:%s", pattern, spec[0], spec[1])
	}
	rest, err := expand(pattern[j+1:])
	if err != nil {
		return nil, err
	}
	if len(items)*len(rest) > 10000 {
		return nil, errTooMany
	}
	var out []string
	for _, it := range items {
		for _, r := range rest {
			out = append(out, pattern[:i]+it+r)
		}
	}
	return out, nil
}
