package ovs

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseSwitchRecorded(t *testing.T) {
	sw, err := ParseSwitch(sample(t, "state-seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	internal := func(name string) []Interface { return []Interface{{Name: name, Type: "internal"}} }
	want := Switch{Bridges: []Bridge{
		{Name: "br2", DatapathType: "netdev", Ports: []Port{{Name: "br2", Trunks: []int{}, Interfaces: internal("br2")}}},
		{Name: "ovsbr0", DatapathType: "netdev", Ports: []Port{
			{Name: "nodev", Trunks: []int{}, Interfaces: []Interface{{Name: "nodev", Error: "could not open network device nodev (No such device)"}}},
			{Name: "ovsbr0", Trunks: []int{}, Interfaces: internal("ovsbr0")},
			{Name: "trunk0", Trunks: []int{10, 20, 30}, Interfaces: internal("trunk0")},
			{Name: "vlan100", Tag: 100, Trunks: []int{}, Interfaces: internal("vlan100")},
		}},
	}}
	if !reflect.DeepEqual(sw, want) {
		t.Errorf("got %+v\nwant %+v", sw, want)
	}
	empty, err := ParseSwitch(sample(t, "state-empty.json"))
	if err != nil || len(empty.Bridges) != 0 {
		t.Errorf("empty: %+v %v", empty, err)
	}
}

func TestParseTableMaps(t *testing.T) {
	rows, err := ParseTable(sample(t, "list-open_vswitch.json"))
	if err != nil || len(rows) != 1 {
		t.Fatalf("%v %v", rows, err)
	}
	r := rows[0]
	if _, ok := r["_uuid"].(UUID); !ok {
		t.Errorf("_uuid: %#v", r["_uuid"])
	}
	if m, ok := r["external_ids"].(map[string]any); !ok || len(m) != 0 {
		t.Errorf("external_ids: %#v", r["external_ids"])
	}
	if types := set(r["datapath_types"]); len(types) != 2 || types[0] != "netdev" {
		t.Errorf("datapath_types: %#v", r["datapath_types"])
	}
	if r["dpdk_initialized"] != false || len(set(r["bridges"])) != 2 {
		t.Errorf("row: %#v", r)
	}
	m, err := ParseTable([]byte(`{"data":[[["map",[["a","1"],["b",["uuid","x"]]]]]],"headings":["other_config"]}`))
	if err != nil || !reflect.DeepEqual(m[0]["other_config"], map[string]any{"a": "1", "b": UUID("x")}) {
		t.Errorf("map: %#v %v", m, err)
	}
}

func TestParseSwitchRefusesWhatItCannotRead(t *testing.T) {
	seed := string(sample(t, "state-seed.json"))
	for name, tc := range map[string]struct{ in, want string }{
		"not json":        {"ovs-vsctl: no bridge", "printed no JSON table"},
		"two tables":      {strings.Join(strings.Split(seed, "\n")[:2], "\n"), "printed 2 tables, want 3"},
		"no headings":     {`{"data":[]}` + "\n{}\n{}", "without headings"},
		"short row":       {`{"data":[["a"]],"headings":["name","ports"]}` + "\n" + `{"data":[],"headings":["_uuid"]}` + "\n" + `{"data":[],"headings":["_uuid"]}`, "1 cells for 2 headings"},
		"dangling port":   {`{"data":[["b",["uuid","p"],""]],"headings":["name","ports","datapath_type"]}` + "\n" + `{"data":[],"headings":["_uuid"]}` + "\n" + `{"data":[],"headings":["_uuid"]}`, "bridge b names port p, which ovs-vsctl did not list"},
		"dangling iface":  {`{"data":[],"headings":["name"]}` + "\n" + `{"data":[[["uuid","p"],"p",["set",[]],["set",[]],["uuid","i"]]],"headings":["_uuid","name","tag","trunks","interfaces"]}` + "\n" + `{"data":[],"headings":["_uuid"]}`, "port p names interface i"},
		"string tag":      {`{"data":[],"headings":["name"]}` + "\n" + `{"data":[[["uuid","p"],"p","7",["set",[]],["set",[]]]],"headings":["_uuid","name","tag","trunks","interfaces"]}` + "\n" + `{"data":[],"headings":["_uuid"]}`, "port p: tag: got 7, want an integer"},
		"bad cell":        {`{"data":[[["frob",1]]],"headings":["name"]}` + "\n{}\n{}", "unexpected value"},
		"nested set":      {`{"data":[[["set",[["set",[]]]]]],"headings":["name"]}` + "\n{}\n{}", "unexpected value"},
		"uuid not string": {`{"data":[[["uuid",1]]],"headings":["name"]}` + "\n{}\n{}", "uuid is not a string"},
	} {
		_, err := ParseSwitch([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
}

func FuzzParseSwitch(f *testing.F) {
	f.Add(sample(f, "state-seed.json"))
	f.Add(sample(f, "state-empty.json"))
	f.Add(sample(f, "list-open_vswitch.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sw, err := ParseSwitch(data)
		if err != nil {
			return
		}
		for _, b := range sw.Bridges {
			for _, p := range b.Ports {
				if p.Tag < 0 {
					t.Fatalf("negative tag from %q", data)
				}
			}
		}
		_ = sw.Plain()
	})
}

func FuzzParseTable(f *testing.F) {
	f.Add(sample(f, "list-open_vswitch.json"))
	f.Add([]byte(`{"data":[[["map",[["a",["uuid","x"]]]]]],"headings":["m"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseTable(data)
		if err == nil && rows == nil {
			t.Fatal("nil rows without an error")
		}
	})
}
