package vlan

import (
	"encoding/json"
	"fmt"
)

// Link is one VLAN link as `ip -j -d link show` reports it.
type Link struct {
	Name     string
	Index    int
	Parent   string // "" when the parent is in another namespace
	ParentIx int    // link_index, set when Parent is not known by name
	ID       int
	Protocol string // 802.1Q or 802.1ad
	Flags    []string
	Up       bool // administratively up (the UP flag)
	MTU      int
	Master   string // the bridge it is a port of
	MAC      string
}

type ipLink struct {
	Index     int      `json:"ifindex"`
	Link      *string  `json:"link"`
	LinkIndex int      `json:"link_index"`
	Name      string   `json:"ifname"`
	Flags     []string `json:"flags"`
	MTU       int      `json:"mtu"`
	Master    string   `json:"master"`
	Address   string   `json:"address"`
	LinkInfo  *struct {
		Kind string          `json:"info_kind"`
		Data json.RawMessage `json:"info_data"`
	} `json:"linkinfo"`
}

type vlanData struct {
	Protocol string   `json:"protocol"`
	ID       *int     `json:"id"`
	Flags    []string `json:"flags"`
}

// ParseLinks reads `ip -j -d link show` and returns every link by name
// (kind "" when ip printed no linkinfo) plus the VLAN links in ip's order.
// A VLAN link without an id, or with one outside 0..4095, is an error: the
// output is not what iproute2 prints and nothing should be decided on it.
func ParseLinks(data []byte) (kinds map[string]string, vlans []Link, err error) {
	var links []ipLink
	if err := json.Unmarshal(data, &links); err != nil {
		return nil, nil, fmt.Errorf("cannot read ip -j -d link output: %w", err)
	}
	kinds = map[string]string{}
	for _, l := range links {
		if l.Name == "" {
			return nil, nil, fmt.Errorf("ip -j -d link printed a link without ifname (ifindex %d)", l.Index)
		}
		kind := ""
		if l.LinkInfo != nil {
			kind = l.LinkInfo.Kind
		}
		kinds[l.Name] = kind
		if kind != "vlan" {
			continue
		}
		var d vlanData
		if err := json.Unmarshal(l.LinkInfo.Data, &d); err != nil || d.ID == nil {
			return nil, nil, fmt.Errorf("ip -j -d link: vlan link %q has no readable info_data.id", l.Name)
		}
		if *d.ID < 0 || *d.ID > 4095 {
			return nil, nil, fmt.Errorf("ip -j -d link: vlan link %q has id %d, outside 0..4095", l.Name, *d.ID)
		}
		v := Link{Name: l.Name, Index: l.Index, ID: *d.ID, Protocol: d.Protocol, Flags: d.Flags,
			MTU: l.MTU, Master: l.Master, MAC: l.Address, ParentIx: l.LinkIndex}
		if l.Link != nil {
			v.Parent = *l.Link
		}
		for _, f := range l.Flags {
			if f == "UP" {
				v.Up = true
			}
		}
		vlans = append(vlans, v)
	}
	return kinds, vlans, nil
}
