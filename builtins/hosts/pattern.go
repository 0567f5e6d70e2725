package hosts

import (
	"fmt"
	"path"
	"strings"
)

// selectHosts evaluates an Ansible host pattern over universe (inventory
// hosts, then the names given): terms separated by ',' (or ':' when no
// term is a URL) are host names, group names, globs or "all"; "&term"
// intersects, "!term" excludes.
func selectHosts(pattern string, inv *Inventory, universe []string) ([]string, error) {
	sep := func(r rune) bool { return r == ',' || (r == ':' && !strings.Contains(pattern, "://")) }
	var plus, and, not []map[string]bool
	for _, term := range strings.FieldsFunc(pattern, sep) {
		term = strings.TrimSpace(term)
		list := &plus
		switch {
		case strings.HasPrefix(term, "!"):
			list, term = &not, term[1:]
		case strings.HasPrefix(term, "&"):
			list, term = &and, term[1:]
		}
		if term == "" {
			return nil, fmt.Errorf("host pattern %q: empty term", pattern)
		}
		set, err := resolveTerm(term, inv, universe)
		if err != nil {
			return nil, fmt.Errorf("host pattern %q: %v", pattern, err)
		}
		*list = append(*list, set)
	}
	if len(plus) == 0 {
		return nil, fmt.Errorf("host pattern %q names no hosts", pattern)
	}
	var out []string
	seen := map[string]bool{}
	order := append(append([]string(nil), universe...), orderOf(plus)...)
	for _, h := range order {
		if seen[h] || !anyHas(plus, h) || !allHave(and, h) || anyHas(not, h) {
			continue
		}
		seen[h] = true
		out = append(out, h)
	}
	return out, nil
}

func resolveTerm(term string, inv *Inventory, universe []string) (map[string]bool, error) {
	set := map[string]bool{}
	if inv != nil {
		if hs, ok := inv.Members(term); ok {
			for _, h := range hs {
				set[h] = true
			}
			return set, nil
		}
	}
	if term == "all" || strings.ContainsAny(term, "*?[") {
		pat := term
		if term == "all" {
			pat = "*"
		}
		for _, h := range universe {
			ok, err := path.Match(pat, h)
			if err != nil {
				return nil, fmt.Errorf("bad glob %q", term)
			}
			if ok {
				set[h] = true
			}
		}
		return set, nil
	}
	if err := checkName(term); err != nil {
		return nil, err
	}
	set[term] = true
	return set, nil
}

func orderOf(sets []map[string]bool) []string {
	var out []string
	for _, s := range sets {
		for h := range s {
			out = append(out, h)
		}
	}
	return out
}

func anyHas(sets []map[string]bool, h string) bool {
	for _, s := range sets {
		if s[h] {
			return true
		}
	}
	return false
}

func allHave(sets []map[string]bool, h string) bool {
	for _, s := range sets {
		if !s[h] {
			return false
		}
	}
	return true
}
