package sim_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// VLAN links cannot be made on this kernel (no 8021q), so their JSON is
// checked against notes/tools.md §6 (iproute2's ip/iplink_vlan.c key
// order): "link" before "ifname", linkinfo with protocol, id, flags.
func TestVLANLinks(t *testing.T) {
	h := sim.New()
	for _, tc := range []struct {
		args string
		rc   int
		err  string
	}{
		{"link add link eth0 name eth0.100 type vlan id 100", 0, ""},
		{"link add link eth0 name eth0.100 type vlan id 100", 2, "RTNETLINK answers: File exists\n"},
		{"link add link eth9 name eth9.5 type vlan id 5", 1, "Cannot find device \"eth9\"\n"},
		{"link add name v5 type vlan id 5", 2, "Error: 8021q: link not specified.\n"},
		{"link add link eth0 name v6 type vlan", 2, "Error: 8021q: VLAN id not specified.\n"},
		{"link add link eth0 name v7 type vlan id 5000", 2, "Error: 8021q: Invalid VLAN id.\n"},
		{"link add link eth0 name v8 type vlan id x", 255, "Error: argument \"x\" is wrong: id is invalid\n\n"},
		{"link add link eth0 name eth0.200 type vlan id 200 protocol 802.1ad", 0, ""},
		{"link set eth0.100 mtu 9000", 2, "RTNETLINK answers: Numerical result out of range\n"},
		{"link add br100 type bridge", 0, ""},
		{"link set eth0.100 master br100", 0, ""},
		{"link set eth0.100 up", 0, ""},
		{"link set br100 up", 0, ""},
		{"link add -x type bridge", 0, ""}, // a name is a name to ip, even option-shaped
		{"link add " + strings.Repeat("n", 16) + " type bridge", 255, "Error: argument \"nnnnnnnnnnnnnnnn\" is wrong: \"dev\" not a valid ifname\n"},
	} {
		r := run(t, h, "", append([]string{"ip"}, strings.Fields(tc.args)...)...)
		if r.Code != tc.rc || string(r.Stderr) != tc.err {
			t.Errorf("ip %s: rc %d %q, want %d %q", tc.args, r.Code, r.Stderr, tc.rc, tc.err)
		}
	}
	r := run(t, h, "", "ip", "-j", "-d", "link", "show", "eth0.100")
	want := `[{"ifindex":3,"link":"eth0","ifname":"eth0.100","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br100","operstate":"UP",`
	if !strings.HasPrefix(string(r.Stdout), want) {
		t.Errorf("vlan json:\n%s\nwant prefix\n%s", r.Stdout, want)
	}
	var links []struct {
		LinkInfo struct {
			Kind      string         `json:"info_kind"`
			Data      map[string]any `json:"info_data"`
			SlaveKind string         `json:"info_slave_kind"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(r.Stdout, &links); err != nil || len(links) != 1 {
		t.Fatalf("%v: %s", err, r.Stdout)
	}
	li := links[0].LinkInfo
	if li.Kind != "vlan" || li.Data["protocol"] != "802.1Q" || li.Data["id"] != 100.0 || li.SlaveKind != "bridge" ||
		!strings.Contains(string(r.Stdout), `"info_data":{"protocol":"802.1Q","id":100,"flags":["REORDER_HDR"]}`) {
		t.Errorf("vlan linkinfo: %+v", li)
	}
	if r := run(t, h, "", "ip", "-j", "link", "show", "eth0.200"); !strings.Contains(string(r.Stdout), `"link":"eth0","ifname":"eth0.200"`) {
		t.Errorf("802.1ad vlan: %s", r.Stdout)
	}
	// Deleting the parent takes its VLANs with it, and frees the bridge.
	h.WithLock(func(h *sim.Host) {
		n := sim.NetworkOf(h)
		eth, _ := n.Link("eth0")
		n.Delete(eth)
		if _, ok := n.Link("eth0.100"); ok {
			t.Error("vlan survived its parent")
		}
	})
}
