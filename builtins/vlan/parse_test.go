package vlan

import (
	"os"
	"reflect"
	"testing"
)

func TestParseLinks(t *testing.T) {
	cases := []struct {
		file  string
		kinds map[string]string
		vlans []Link
	}{
		{"tools-md-eth0.100.json", map[string]string{"eth0.100": "vlan"}, []Link{
			{Name: "eth0.100", Index: 5, Parent: "eth0", ID: 100, Protocol: "802.1Q", Flags: []string{"REORDER_HDR"}, Up: true, MTU: 1500, MAC: "52:54:00:12:34:56"},
		}},
		{"host-vlans.json", map[string]string{"lo": "", "eth0": "", "eth0.0100": "vlan", "vlan200": "vlan", "xenbr0200": "bridge", "eth0.300": "vlan"}, []Link{
			{Name: "eth0.0100", Index: 3, Parent: "eth0", ID: 100, Protocol: "802.1Q", Flags: []string{"REORDER_HDR"}, Up: true, MTU: 1500, MAC: "52:54:00:12:34:56"},
			{Name: "vlan200", Index: 4, Parent: "eth0", ID: 200, Protocol: "802.1Q", Flags: []string{"REORDER_HDR"}, Up: true, MTU: 1500, Master: "xenbr0200", MAC: "52:54:00:12:34:56"},
			{Name: "eth0.300", Index: 6, Parent: "eth0", ID: 300, Protocol: "802.1ad", Flags: []string{"REORDER_HDR", "GVRP"}, MTU: 1500, MAC: "52:54:00:12:34:56"},
		}},
		{"other-netns.json", map[string]string{"eth0.42": "vlan"}, []Link{
			{Name: "eth0.42", Index: 7, ParentIx: 2, ID: 42, Protocol: "802.1Q", Flags: []string{"REORDER_HDR"}, Up: true, MTU: 1500, MAC: "52:54:00:ab:cd:ef"},
		}},
	}
	for _, c := range cases {
		data, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		kinds, vlans, err := ParseLinks(data)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !reflect.DeepEqual(kinds, c.kinds) {
			t.Errorf("%s kinds: got %v, want %v", c.file, kinds, c.kinds)
		}
		if !reflect.DeepEqual(vlans, c.vlans) {
			t.Errorf("%s vlans:\n got %+v\nwant %+v", c.file, vlans, c.vlans)
		}
	}
}

func TestParseLinksRefuses(t *testing.T) {
	for _, in := range []string{
		``, `{}`, `not json`, `[{"ifindex":1}]`,
		`[{"ifname":"x","linkinfo":{"info_kind":"vlan"}}]`,
		`[{"ifname":"x","linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q"}}}]`,
		`[{"ifname":"x","linkinfo":{"info_kind":"vlan","info_data":{"id":70000}}}]`,
		`[{"ifname":"x","linkinfo":{"info_kind":"vlan","info_data":{"id":-1}}}]`,
		`[{"ifname":"x","linkinfo":{"info_kind":"vlan","info_data":[1]}}]`,
	} {
		if _, _, err := ParseLinks([]byte(in)); err == nil {
			t.Errorf("ParseLinks(%q): no error", in)
		}
	}
}

func FuzzParseLinks(f *testing.F) {
	for _, file := range []string{"tools-md-eth0.100.json", "host-vlans.json", "other-netns.json"} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`[{"ifname":"x","linkinfo":{"info_kind":"vlan","info_data":{"id":1e400}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kinds, vlans, err := ParseLinks(data)
		if err != nil {
			return
		}
		for _, v := range vlans {
			if kinds[v.Name] != "vlan" || v.ID < 0 || v.ID > 4095 {
				t.Fatalf("parsed %+v with kind %q", v, kinds[v.Name])
			}
		}
	})
}

func FuzzName(f *testing.F) {
	f.Add("eth0", 100, "DEV_PLUS_VID")
	f.Add("enp0s20f0u1", 4094, "VLAN_PLUS_VID")
	f.Fuzz(func(t *testing.T, dev string, id int, naming string) {
		n, err := Name(dev, id, naming)
		if err != nil {
			return
		}
		if CheckDevice(n, "a name") != nil || CheckID(id) != nil {
			t.Fatalf("Name(%q, %d, %q) = %q: not a valid interface name", dev, id, naming, n)
		}
	})
}
