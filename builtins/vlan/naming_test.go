package vlan

import (
	"strings"
	"testing"
)

// The seed's table (002, VLAN setup): eth0 with VLAN id 100 under each
// VLAN_NAME_TYPE, plus the ids its Xen part uses.
func TestNamingSchemes(t *testing.T) {
	cases := []struct {
		dev    string
		id     int
		naming string
		want   string
	}{
		{"eth0", 100, "VLAN_PLUS_VID", "vlan0100"},
		{"eth0", 100, "VLAN_PLUS_VID_NO_PAD", "vlan100"},
		{"eth0", 100, "DEV_PLUS_VID", "eth0.0100"},
		{"eth0", 100, "DEV_PLUS_VID_NO_PAD", "eth0.100"},
		{"eth0", 900, "DEV_PLUS_VID", "eth0.0900"},
		{"eth0", 1000, "DEV_PLUS_VID", "eth0.1000"},
		{"eth0", 5, "VLAN_PLUS_VID", "vlan0005"}, // vconfig's example
		{"eth0", 4094, "VLAN_PLUS_VID_NO_PAD", "vlan4094"},
		{"enp3s0f1", 42, "DEV_PLUS_VID", "enp3s0f1.0042"},
	}
	for _, c := range cases {
		got, err := Name(c.dev, c.id, c.naming)
		if err != nil || got != c.want {
			t.Errorf("Name(%q, %d, %s) = %q, %v; want %q", c.dev, c.id, c.naming, got, err, c.want)
		}
	}
}

func TestNamingRefuses(t *testing.T) {
	cases := []struct {
		dev    string
		id     int
		naming string
		want   string
	}{
		{"eth0", 0, "DEV_PLUS_VID", "out of range"},
		{"eth0", 4095, "DEV_PLUS_VID", "out of range"},
		{"eth0", 4096, "DEV_PLUS_VID", "out of range"},
		{"eth0", -1, "DEV_PLUS_VID", "out of range"},
		{"enp0s20f0u1u2", 1000, "DEV_PLUS_VID", "at most 15"}, // 18 bytes
		{"enp0s20f0u1", 1000, "DEV_PLUS_VID", "at most 15"},   // 16 bytes: one too many
		{"averyveryverylongnic", 1, "VLAN_PLUS_VID", "at most 15"},
		{"eth0", 100, "dev_plus_vid", "unknown naming"},
		{"eth0", 100, "", "unknown naming"},
		{"", 100, "DEV_PLUS_VID", "empty"},
		{"-eth0", 100, "DEV_PLUS_VID", "option"},
		{"eth/0", 100, "DEV_PLUS_VID", "no '/'"},
		{"eth0\x00", 100, "DEV_PLUS_VID", "NUL"},
		{"eth 0", 100, "DEV_PLUS_VID", "whitespace"},
	}
	for _, c := range cases {
		got, err := Name(c.dev, c.id, c.naming)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Name(%q, %d, %q) = %q, %v; want an error with %q", c.dev, c.id, c.naming, got, err, c.want)
		}
	}
	// 15 bytes exactly is the kernel's limit and fine.
	if n, err := Name("enp0s20f0u1", 10, "DEV_PLUS_VID_NO_PAD"); err != nil || len(n) != 14 {
		t.Errorf("got %q, %v", n, err)
	}
	if n, err := Name("enp0s20f0u", 1000, "DEV_PLUS_VID"); err != nil || len(n) != 15 {
		t.Errorf("got %q, %v", n, err)
	}
}
