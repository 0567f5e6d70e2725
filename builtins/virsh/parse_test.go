package virsh

import (
	"reflect"
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

// Parsers over outputs recorded from the real virsh (testdata/README.md).
func TestParseInfo(t *testing.T) {
	cases := []struct {
		file string
		want map[string]any
	}{
		{"testdata/dominfo-shutoff.txt", map[string]any{"id": nil, "name": "papeete", "state": "shut off", "cpus": 1,
			"max_memory_kib": uint64(976563), "used_memory_kib": uint64(976563), "persistent": true, "autostart": false,
			"managed_save": false, "os_type": "linux", "security_model": "testSecurity", "security_doi": ""}},
		{"testdata/dominfo-transient.txt", map[string]any{"id": 2, "state": "running", "persistent": false,
			"security_label": "libvirt-test (enforcing)"}},
		{"testdata/netinfo.txt", map[string]any{"name": "ovsbr0", "active": true, "persistent": true, "autostart": true, "bridge": "ovsbr0"}},
		{"testdata/poolinfo-bytes.txt", map[string]any{"state": "running", "capacity": uint64(107374182400), "allocation": uint64(0)}},
		{"testdata/volinfo-bytes.txt", map[string]any{"name": "v2", "type": "file", "capacity": uint64(10485760)}},
	}
	for _, c := range cases {
		m, err := parseInfo(mustRead(t, c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		for k, v := range c.want {
			if got, ok := m[k]; !ok || !reflect.DeepEqual(got, v) {
				t.Errorf("%s: %s = %#v (present %v), want %#v", c.file, k, got, ok, v)
			}
		}
	}
	for _, bad := range []string{"", "no colon here", "  continuation first", "Id:             x", "Max memory:     12 MiB", "Persistent:     maybe"} {
		if _, err := parseInfo(bad); err == nil {
			t.Errorf("parseInfo(%q): no error", bad)
		}
	}
}

func TestParseNamesAndVolList(t *testing.T) {
	if got := parseNames(mustRead(t, "testdata/list-name.txt")); !reflect.DeepEqual(got, []string{"test", "papeete"}) {
		t.Errorf("list --name: %q", got)
	}
	if got := parseNames(mustRead(t, "testdata/pool-list-name.txt")); !reflect.DeepEqual(got, []string{"default-pool"}) {
		t.Errorf("pool-list --name (padded): %q", got)
	}
	vols, err := parseVolList(mustRead(t, "testdata/vol-list.txt"))
	want := []Volume{{"my disk.qcow2", "/default-pool/my disk.qcow2"}, {"v2", "/default-pool/v2"}}
	if err != nil || !reflect.DeepEqual(vols, want) {
		t.Errorf("vol-list: %v %v", vols, err)
	}
	for _, bad := range []string{"", "garbage", " Name   Path\n------\n x\n"} {
		if _, err := parseVolList(bad); err == nil {
			t.Errorf("parseVolList(%q): no error", bad)
		}
	}
}

func TestExplain(t *testing.T) {
	got := explain("error: Failed to start network default\nerror: Requested operation is not valid: Network 'default' is already running\n")
	if got != "Failed to start network default: Requested operation is not valid: Network 'default' is already running" {
		t.Errorf("explain: %q", got)
	}
}

// dumpxml of the real test driver reads into the dict shape, typed by
// libvirtxml: memory in KiB as an int, a repeated element as a list.
func TestDumpxmlShape(t *testing.T) {
	v, err := readDoc(domainKind, mustRead(t, "testdata/dumpxml-papeete.xml"))
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*starlark.Dict)
	mem := get(d, "memory").(*starlark.Dict)
	if get(mem, "value").String() != "976563" || str(get(mem, "unit")) != "KiB" {
		t.Errorf("memory: %v", mem)
	}
	ifs := get(get(d, "devices").(*starlark.Dict), "interface").(*starlark.List)
	if ifs.Len() != 1 || !strings.HasPrefix(str(get(get(ifs.Index(0).(*starlark.Dict), "mac").(*starlark.Dict), "address")), "52:54:00:") {
		t.Errorf("interfaces: %v", ifs)
	}
	// the dict defines again as it came: dumpxml -> define round trip
	if _, err := build(domainKind, d); err != nil {
		t.Errorf("dumpxml's dict does not build again: %v", err)
	}
	if _, err := readDoc(networkKind, mustRead(t, "testdata/net-dumpxml-ovsbr0.xml")); err != nil {
		t.Error(err)
	}
	if _, err := readDoc(networkKind, mustRead(t, "testdata/dumpxml-papeete.xml")); err == nil {
		t.Error("a <domain> read as a network")
	}
}

func TestParseLinks(t *testing.T) {
	// ip -j -d link show, iproute2 6.1 (trimmed to the fields read)
	out := `[{"ifindex":1,"ifname":"lo","link_type":"loopback"},{"ifindex":3,"ifname":"ovsbr0","linkinfo":{"info_kind":"bridge","info_data":{}}},{"ifindex":4,"ifname":"tap0","linkinfo":{"info_kind":"tun"}}]`
	m, err := parseLinks([]byte(out))
	if err != nil || !reflect.DeepEqual(m, map[string]string{"lo": "", "ovsbr0": "bridge", "tap0": "tun"}) {
		t.Errorf("parseLinks: %v %v", m, err)
	}
	if _, err := parseLinks([]byte("Device does not exist")); err == nil {
		t.Error("parseLinks of text: no error")
	}
}

func FuzzParseInfo(f *testing.F) {
	for _, s := range []string{"testdata/dominfo-shutoff.txt", "testdata/netinfo.txt", "testdata/poolinfo-bytes.txt", "testdata/volinfo-bytes.txt"} {
		f.Add(mustReadF(f, s))
	}
	f.Fuzz(func(t *testing.T, s string) { _, _ = parseInfo(s) })
}

func FuzzParseVolList(f *testing.F) {
	f.Add(mustReadF(f, "testdata/vol-list.txt"))
	f.Fuzz(func(t *testing.T, s string) {
		vols, err := parseVolList(s)
		for _, v := range vols {
			if err == nil && (v.Name == "" || v.Path == "") {
				t.Fatalf("empty name or path from %q", s)
			}
		}
	})
}

func FuzzParseNames(f *testing.F) {
	f.Add(mustReadF(f, "testdata/pool-list-name.txt"))
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range parseNames(s) {
			if n == "" || strings.Contains(n, "\n") {
				t.Fatalf("bad name %q", n)
			}
		}
	})
}

func FuzzParseLinks(f *testing.F) {
	f.Add([]byte(`[{"ifname":"br0","linkinfo":{"info_kind":"bridge"}}]`))
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = parseLinks(b) })
}

// FuzzDoc: any text given as domain or network XML is an error or a
// document that builds again from its own dict, never a panic.
func FuzzDoc(f *testing.F) {
	f.Add(mustReadF(f, "testdata/dumpxml-papeete.xml"))
	f.Add(mustReadF(f, "testdata/seed-ovsbr0.xml"))
	f.Add("<domain><name>x</name><memory unit='GB'>1</memory></domain>")
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []kind{domainKind, networkKind} {
			d, err := build(k, starlark.String(s))
			if err != nil {
				continue
			}
			if _, err := build(k, d.dict); err != nil {
				t.Fatalf("built %q, but its dict does not build again: %v", s, err)
			}
		}
	})
}

func mustReadF(f *testing.F, name string) string {
	b, err := readFile(name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
