package virsh

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// bridgeUse is a bridge a document needs to exist on the host: libvirt
// itself only finds out when the guest or network starts ("Cannot get
// interface MTU on 'obsbr0'"), or never, for a network.
type bridgeUse struct {
	path, name string
	ovs        bool // <virtualport type='openvswitch'>
}

// bridgeUses lists the bridges a domain's interfaces (type='bridge') or a
// network (forward mode='bridge', or no forward but a virtualport) name.
// A NAT, routed or isolated network makes its own bridge.
func bridgeUses(d *Doc) []bridgeUse {
	var uses []bridgeUse
	switch d.kind {
	case "domain":
		devs, _ := get(d.dict, "devices").(*starlark.Dict)
		ifs, _ := get(devs, "interface").(*starlark.List)
		for i := 0; ifs != nil && i < ifs.Len(); i++ {
			ifc, _ := ifs.Index(i).(*starlark.Dict)
			if str(get(ifc, "type")) != "bridge" {
				continue
			}
			src, _ := get(ifc, "source").(*starlark.Dict)
			if br := str(get(src, "bridge")); br != "" {
				uses = append(uses, bridgeUse{fmt.Sprintf("domain.devices.interface[%d].source.bridge", i), br, isOVS(ifc)})
			}
		}
	case "network":
		fwd, _ := get(d.dict, "forward").(*starlark.Dict)
		mode := str(get(fwd, "mode"))
		br, _ := get(d.dict, "bridge").(*starlark.Dict)
		name := str(get(br, "name"))
		if name != "" && (mode == "bridge" || (fwd == nil && isOVS(d.dict))) {
			uses = append(uses, bridgeUse{"network.bridge.name", name, isOVS(d.dict)})
		}
	}
	return uses
}

func isOVS(d *starlark.Dict) bool {
	vp, _ := get(d, "virtualport").(*starlark.Dict)
	return str(get(vp, "type")) == "openvswitch"
}

func get(d *starlark.Dict, key string) starlark.Value {
	if d == nil {
		return nil
	}
	v, _, _ := d.Get(starlark.String(key))
	return v
}

func str(v starlark.Value) string {
	s, _ := starlark.AsString(v)
	return s
}

// checkBridges refuses a document naming a bridge the host does not have,
// listing those it has. The links are read on the thread's target, so a
// URI pointing at another host cannot be checked from here.
func checkBridges(c conn, d *Doc) error {
	uses := bridgeUses(d)
	if len(uses) == 0 {
		return nil
	}
	uri := c.uri
	if uri == "" {
		out, err := c.read("uri")
		if err != nil {
			return fmt.Errorf("cannot tell which libvirt virsh connects to (virsh uri), to check bridge %q: %w", uses[0].name, err)
		}
		uri = strings.TrimSpace(out)
	}
	if host := remoteHost(uri); host != "" {
		return fmt.Errorf("cannot check that bridge %q exists on %s from this target: run this on that host (host(...)), or pass check_bridges = False", uses[0].name, host)
	}
	res, err := tool.Tool{Name: "ip"}.Read(c.e, "-j", "-d", "link", "show")
	if err != nil {
		return fmt.Errorf("cannot list the target's links to check bridge %q (pass check_bridges = False to skip the check): %w", uses[0].name, err)
	}
	links, err := parseLinks(res.Stdout)
	if err != nil {
		return fmt.Errorf("cannot check bridge %q: ip -j -d link show: %v", uses[0].name, err)
	}
	for _, u := range uses {
		if kind, ok := links[u.name]; ok && (kind == "bridge" || kind == "openvswitch" || u.ovs && kind == "tun") {
			continue
		}
		var have []string
		for n, k := range links {
			if k == "bridge" || k == "openvswitch" {
				have = append(have, n)
			}
		}
		sort.Strings(have)
		msg := fmt.Sprintf("%s: bridge %q does not exist on the target", u.path, u.name)
		if k, ok := links[u.name]; ok {
			msg = fmt.Sprintf("%s: %q on the target is a %s link, not a bridge", u.path, u.name, kindName(k))
		}
		if len(have) == 0 {
			return fmt.Errorf("%s, which has no bridges: create it first (ovs.add_br or bridge.add)", msg)
		}
		if n := starutil.Nearest(u.name, have); n != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", n)
		}
		return fmt.Errorf("%s; bridges there: %s", msg, strings.Join(have, ", "))
	}
	return nil
}

func kindName(k string) string {
	if k == "" {
		return "plain"
	}
	return k
}

// remoteHost is the host of a libvirt URI that names another machine
// (qemu+ssh://root@node2/system), "" for a local one.
func remoteHost(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri // unreadable: treat as not checkable here
	}
	switch h := u.Hostname(); h {
	case "", "localhost", "127.0.0.1", "::1":
		return ""
	default:
		return h
	}
}

// parseLinks reads `ip -j -d link show`: link name -> kind (linkinfo's
// info_kind; "" for a NIC or lo).
func parseLinks(out []byte) (map[string]string, error) {
	var links []struct {
		Name     string `json:"ifname"`
		LinkInfo *struct {
			Kind string `json:"info_kind"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(out, &links); err != nil {
		return nil, fmt.Errorf("cannot read its JSON: %v", err)
	}
	m := make(map[string]string, len(links))
	for _, l := range links {
		if l.Name == "" {
			continue
		}
		k := ""
		if l.LinkInfo != nil {
			k = l.LinkInfo.Kind
		}
		m[l.Name] = k
	}
	return m, nil
}
