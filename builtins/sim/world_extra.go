package sim

import (
	"fmt"
	"strings"
)

// check refuses a saved network the kernel could not have: unnamed or
// duplicate links, references to links that are not there, an ifindex
// the next link would reuse.
func (n *Network) check() error {
	seen := map[string]bool{}
	for _, l := range n.Links {
		if l == nil || !validName(l.Name) || seen[l.Name] {
			return fmt.Errorf("a link without a valid name, or one named twice")
		}
		seen[l.Name] = true
		if l.Index <= 0 || l.Index >= n.NextIndex {
			return fmt.Errorf("link %s: ifindex %d, want 1..%d (next_index)", l.Name, l.Index, n.NextIndex-1)
		}
	}
	for _, l := range n.Links {
		for what, ref := range map[string]string{"master": l.Master, "peer": l.Peer, "parent": l.Parent} {
			if ref != "" && !seen[ref] {
				return fmt.Errorf("link %s: %s %s is not a link", l.Name, what, ref)
			}
		}
		if (l.Kind == KindVeth && l.Peer == "") || (l.Kind == KindVLAN && l.Parent == "") {
			return fmt.Errorf("link %s: a %s without its %s", l.Name, l.Kind, map[string]string{KindVeth: "peer", KindVLAN: "parent"}[l.Kind])
		}
		for _, a := range l.Addrs {
			if !a.Prefix.IsValid() {
				return fmt.Errorf("link %s: an invalid address", l.Name)
			}
		}
	}
	return nil
}

// check refuses accounts useradd could not have made.
func (a *Accounts) check() error {
	seen := map[string]bool{}
	for _, u := range a.Users {
		if u == nil || !goodName.MatchString(u.Name) || seen[u.Name] {
			return fmt.Errorf("a user without a valid name, or one named twice")
		}
		seen[u.Name] = true
	}
	if a.Services == nil {
		a.Services = map[string]*Service{}
	}
	for name, s := range a.Services {
		if s == nil || name != unitName(name) {
			return fmt.Errorf("service %q: want a unit name (NAME.service) and its state", name)
		}
	}
	for p, o := range a.Owners {
		u, g, _ := strings.Cut(o, ":")
		if !seen[u] || (!seen[g] && g != "root") {
			return fmt.Errorf("owner of %s: %q names no user or group of this host", p, o)
		}
	}
	return nil
}
