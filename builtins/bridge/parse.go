package bridge

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Link is what vrun reads of one link in `ip -j -d link show` (iproute2
// 6.1's JSON): its name, kind, master, state, and a bridge's STP data.
type Link struct {
	Name   string   `json:"ifname"`
	Flags  []string `json:"flags"`
	MTU    int      `json:"mtu"`
	Master string   `json:"master"`
	MAC    string   `json:"address"`
	Type   string   `json:"link_type"` // "ether", "loopback"
	Info   struct {
		Kind string `json:"info_kind"`
		Data struct {
			STP          *int `json:"stp_state"`
			ForwardDelay *int `json:"forward_delay"`
		} `json:"info_data"`
	} `json:"linkinfo"`
}

// Up reports the administrative state (the UP flag).
func (l Link) Up() bool {
	for _, f := range l.Flags {
		if f == "UP" {
			return true
		}
	}
	return false
}

// ParseLinks reads `ip -j -d link show`. A bridge without its STP data
// is an error: ip without -d, or an iproute2 that vrun cannot read.
func ParseLinks(out []byte) ([]Link, error) {
	var links []Link
	if err := json.Unmarshal(out, &links); err != nil {
		return nil, fmt.Errorf("ip -j -d link show printed no JSON list of links (%v): %.200q", err, out)
	}
	seen := map[string]bool{}
	for _, l := range links {
		switch {
		case l.Name == "":
			return nil, fmt.Errorf("ip -j -d link show printed a link without a name")
		case seen[l.Name]:
			return nil, fmt.Errorf("ip -j -d link show printed link %s twice", l.Name)
		case l.Info.Kind == "bridge" && (l.Info.Data.STP == nil || l.Info.Data.ForwardDelay == nil):
			return nil, fmt.Errorf("ip -j -d link show printed bridge %s without stp_state and forward_delay", l.Name)
		}
		seen[l.Name] = true
	}
	return links, nil
}

// Bridge is one Linux bridge as bridge.show() returns it.
type Bridge struct {
	Name string `json:"name"`
	STP  bool   `json:"stp"`
	// ForwardDelay is in seconds (ip prints centiseconds).
	ForwardDelay float64  `json:"forward_delay"`
	Up           bool     `json:"up"`
	MTU          int      `json:"mtu"`
	MAC          string   `json:"mac"`
	Interfaces   []string `json:"interfaces"`
}

// Bridges picks the bridges out of the links, with their ports (links
// whose master they are), sorted by name.
func Bridges(links []Link) []Bridge {
	var out []Bridge
	for _, l := range links {
		if l.Info.Kind != "bridge" {
			continue
		}
		b := Bridge{Name: l.Name, STP: *l.Info.Data.STP != 0, ForwardDelay: float64(*l.Info.Data.ForwardDelay) / 100,
			Up: l.Up(), MTU: l.MTU, MAC: l.MAC, Interfaces: []string{}}
		for _, p := range links {
			if p.Master == l.Name {
				b.Interfaces = append(b.Interfaces, p.Name)
			}
		}
		sort.Strings(b.Interfaces)
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func find(links []Link, name string) (Link, bool) {
	for _, l := range links {
		if l.Name == name {
			return l, true
		}
	}
	return Link{}, false
}
