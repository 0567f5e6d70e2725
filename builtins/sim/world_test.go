package sim

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
)

type counter struct {
	N     int      `json:"n"`
	Names []string `json:"names"`
}

var counterSlot = Slot[*counter]{Key: "counter", New: func() *counter { return &counter{} }}

// TestWorldRoundTrip: what a run leaves (files, directories, devices with
// aliases and filesystems, mounts, module slots) comes back from the world
// file as it was, and a second save is byte for byte the first.
func TestWorldRoundTrip(t *testing.T) {
	h := New()
	counterSlot.Declare(h)
	h.MakeDir("/data/sheepdog")
	h.WriteFile("/etc/fstab", []byte("/dev/sda1 /boot ext4 defaults 1 2\n"), 0o644)
	h.WriteFile("/root/blob", []byte{0xff, 0, 1}, 0o600)
	h.Symlink("../root/blob", "/etc/blob")
	st := StorageOf(h)
	d := &BlockDev{Path: "/dev/mapper/vg-data", Size: 1 << 30, FS: &Filesystem{Type: "ext4", UUID: "u-1", BlockSize: 4096, Blocks: 262144}}
	st.AddDevice(d, "/dev/vg/data")
	st.AddDevice(&BlockDev{Path: "/dev/sdd", Size: 40 << 30, PTType: "gpt", Serial: "0a1b2c3d4e5f60718293"})
	st.Mounts = append(st.Mounts, &Mount{Source: "/dev/vg/data", Target: "/data", FSType: "ext4", Options: "rw,relatime", Dev: d})
	for _, args := range [][]string{{"link", "add", "br0", "type", "bridge"}, {"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v1", "master", "br0"}, {"link", "add", "link", "eth0", "name", "eth0.7", "type", "vlan", "id", "7"},
		{"link", "set", "br0", "up", "mtu", "9000"}, {"addr", "add", "10.0.0.1/24", "dev", "br0"}} {
		if r := ipCmd(context.Background(), h, exec.Cmd{Argv: append([]string{"ip"}, args...)}); r.Code != 0 {
			t.Fatalf("ip %v: %s", args, r.Stderr)
		}
	}
	c := counterSlot.Get(h)
	c.N, c.Names = 3, []string{"a", "b"}

	saved, err := h.SaveWorld()
	if err != nil {
		t.Fatal(err)
	}
	h2 := New()
	counterSlot.Declare(h2)
	if err := h2.LoadWorld(saved); err != nil {
		t.Fatal(err)
	}
	if d, ok := StorageOf(h2).Device("/dev/sdd"); !ok || d.Serial != "0a1b2c3d4e5f60718293" || d.PTType != "gpt" || d.Size != 40<<30 {
		t.Errorf("a VM disk's serial is lost: %+v", d)
	}
	if got, _ := h2.ReadFile("/etc/fstab"); !strings.Contains(string(got), "/boot ext4") {
		t.Errorf("fstab: %q", got)
	}
	if got, _ := h2.ReadFile("/root/blob"); string(got) != "\xff\x00\x01" {
		t.Errorf("binary file: %q", got)
	}
	if m, _ := h2.FileMode("/root/blob"); m != 0o600 {
		t.Errorf("mode: %o", m)
	}
	if target, ok := h2.Readlink("/etc/blob"); !ok || target != "../root/blob" {
		t.Errorf("symlink: %q %v", target, ok)
	}
	if got, _ := h2.ReadFile("/etc/blob"); string(got) != "\xff\x00\x01" {
		t.Errorf("read through the symlink: %q", got)
	}
	if !h2.IsDir("/data/sheepdog") {
		t.Error("directory lost")
	}
	st2 := StorageOf(h2)
	a, ok1 := st2.Device("/dev/vg/data")
	b, ok2 := st2.Device("/dev/mapper/vg-data")
	if !ok1 || !ok2 || a != b || a.FS == nil || a.FS.Blocks != 262144 {
		t.Fatalf("device and alias: %v %v %+v", ok1, ok2, a)
	}
	if m, ok := st2.MountAt("/data"); !ok || m.Dev != a {
		t.Errorf("mount not tied to its device: %+v", m)
	}
	show := exec.Cmd{Argv: []string{"ip", "-j", "-d", "addr", "show"}}
	if a, b := ipCmd(context.Background(), h, show), ipCmd(context.Background(), h2, show); string(a.Stdout) != string(b.Stdout) || !strings.Contains(string(b.Stdout), `"ifname":"eth0.7"`) {
		t.Errorf("network differs after load:\n%s\n%s", a.Stdout, b.Stdout)
	}
	if c2 := counterSlot.Get(h2); c2.N != 3 || len(c2.Names) != 2 {
		t.Errorf("slot: %+v", c2)
	}
	again, err := h2.SaveWorld()
	if err != nil || string(again) != string(saved) {
		t.Errorf("second save differs (%v):\n%s\n---\n%s", err, saved, again)
	}
}

// TestWorldRefusesWhatItCannotRead: unknown modules, versions and fields
// stop the load instead of rehearsing a half-read world.
func TestWorldRefusesWhatItCannotRead(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"version": 1, "modules": {"nosuch": {}}}`, `"nosuch", which no module`},
		{`{"version": 9}`, "version 9"},
		{`{"version": 0}`, "version 0"},
		{`{"version": 2, "network": {"links": [{"index": 1, "name": "v0", "kind": "veth"}], "next_index": 2}}`, "without its peer"},
		{`{"version": 2, "network": {"links": [{"index": 1, "name": "p", "kind": "ether", "master": "br9"}], "next_index": 2}}`, "master br9 is not a link"},
		{`{"version": 2, "network": {"links": [{"index": 5, "name": "p", "kind": "ether"}], "next_index": 2}}`, "ifindex 5"},
		{`{"version": 2, "network": {"links": [{"index": 1, "name": "a/b"}], "next_index": 2}}`, "valid name"},
		{`{"version": 1, "bogus": 1}`, "bogus"},
		{`{"version": 1, "storage": {"mounts": [{"target": "/x", "device": "/dev/none"}]}}`, "no device /dev/none"},
		{`not json`, "world file"},
		{`{"version": 1, "symlinks": {"rel/x": "/y"}}`, "clean absolute path"},
	} {
		h := New()
		counterSlot.Declare(h)
		err := h.LoadWorld([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.doc, err, tc.want)
		}
	}
	h := New()
	Slot[*counter]{Key: "undeclared", New: func() *counter { return &counter{} }}.Get(h)
	if _, err := h.SaveWorld(); err == nil || !strings.Contains(err.Error(), `"undeclared" has no declared slot`) {
		t.Errorf("undeclared state saved: %v", err)
	}
}
