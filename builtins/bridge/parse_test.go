package bridge

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseRecorded(t *testing.T) {
	data, err := os.ReadFile("testdata/ip-d-link-bridges.json")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := ParseLinks(data)
	if err != nil {
		t.Fatal(err)
	}
	got := Bridges(ls)
	for i := range got {
		got[i].MAC = ""
	}
	want := []Bridge{
		{Name: "br0", STP: true, ForwardDelay: 4, MTU: 1500, Interfaces: []string{"v1"}},
		{Name: "br1", ForwardDelay: 0, Up: true, MTU: 1500, Interfaces: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if lo, _ := find(ls, "lo"); lo.Type != "loopback" {
		t.Errorf("lo: %+v", lo)
	}
}

func TestParseRefuses(t *testing.T) {
	for in, want := range map[string]string{
		`Device "x" does not exist.`:                           "no JSON list of links",
		`[{"ifname":""}]`:                                      "without a name",
		`[{"ifname":"a"},{"ifname":"a"}]`:                      "link a twice",
		`[{"ifname":"br0","linkinfo":{"info_kind":"bridge"}}]`: "bridge br0 without stp_state and forward_delay",
		`{"ifname":"a"}`:                                       "no JSON list",
	} {
		if _, err := ParseLinks([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", in, err, want)
		}
	}
}

func FuzzParseLinks(f *testing.F) {
	data, _ := os.ReadFile("testdata/ip-d-link-bridges.json")
	f.Add(data)
	f.Add([]byte(`[{"ifname":"br0","linkinfo":{"info_kind":"bridge","info_data":{"stp_state":1,"forward_delay":-5}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ls, err := ParseLinks(data)
		if err != nil {
			return
		}
		_ = Plain(Bridges(ls))
	})
}
