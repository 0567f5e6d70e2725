package recipes_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/xen/xensim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// TestXenVLAN runs the VLAN/Xen recipe on a fresh simulated host under
// each installer and naming, then again: nothing changes the second time.
func TestXenVLAN(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"--installer", "virt-install", "--toolstack", "xm", "--naming", "VLAN_PLUS_VID", "--domu-wallclock"},
		{"--toolstack", "xm"}, // the xl config, started by xm create
	} {
		h := startest.SimHost(t)
		xm := args != nil
		vplus := len(args) > 2 // VLAN_PLUS_VID names, a DomU's wallclock
		if xm {                // a CentOS 5 dom0: xend and xm, no xl
			h.WithLock(func(h *sim.Host) { xensim.SetToolstack(h, "xm") })
		}
		out, err := runRecipe(t, h, "xen-vlan.star", args...)
		if err != nil {
			t.Fatalf("%v: %s\n%s", args, interp.Render(err), out)
		}
		if !strings.Contains(out, "bridge xenbr1000 created") || !strings.Contains(out, "guest dc5 ") {
			t.Errorf("%v: first run:\n%s", args, out)
		}
		if want := map[bool]string{false: "console: xl console dc5\n", true: "console: xm console dc5\n"}[xm]; !strings.HasSuffix(out, want) {
			t.Errorf("%v: first run does not end with %q:\n%s", args, want, out)
		}
		h.WithLock(func(h *sim.Host) {
			cfg, _ := h.ReadFile("/etc/xen/xend-config.sxp")
			if got := strings.Contains(string(cfg), "(network-script network-vlan-bridge-wrapper)"); got != xm {
				t.Errorf("%v: xend-config.sxp %q", args, cfg)
			}
			guest, _ := h.ReadFile("/etc/xen/dc5.cfg")
			if xm && !vplus && !strings.Contains(string(guest), "bootloader = '/usr/bin/pygrub'") {
				t.Errorf("%v: xm's config wants pygrub's path:\n%s", args, guest)
			}
		})
		before := world(t, h)
		out, err = runRecipe(t, h, "xen-vlan.star", args...)
		if err != nil || !strings.Contains(out, "nothing to do") {
			t.Errorf("%v: second run: %v\n%s", args, err, out)
		}
		if !bytes.Equal(before, world(t, h)) {
			t.Errorf("%v: second run changed the world", args)
		}
		h.WithLock(func(h *sim.Host) {
			name := "eth0.1000"
			if vplus {
				name = "vlan1000"
			}
			got, _ := h.ReadFile("/etc/sysconfig/network-scripts/ifcfg-" + name)
			want := "DEVICE=" + name + "\nVLAN=yes\n"
			if vplus {
				want += "PHYSDEV=eth0\n"
			}
			want += "BOOTPROTO=none\nONBOOT=yes\nBRIDGE=xenbr1000\n"
			if string(got) != want {
				t.Errorf("ifcfg-%s:\n%s\nwant\n%s", name, got, want)
			}
			route, _ := h.ReadFile("/etc/sysconfig/network-scripts/route-" + name)
			if string(route) != "ADDRESS0=224.0.0.0\nNETMASK0=240.0.0.0\n" {
				t.Errorf("route-%s: %q", name, route)
			}
			conf, _ := h.ReadFile("/etc/sysctl.conf")
			if wantConf := map[bool]string{true: "xen.independent_wallclock = 1\n"}[vplus]; string(conf) != wantConf {
				t.Errorf("/etc/sysctl.conf: %q, want %q", conf, wantConf)
			}
			l, ok := sim.NetworkOf(h).Link(name)
			if !ok || l.Master != "xenbr1000" || l.VLANID != 1000 {
				t.Errorf("%s: %+v", name, l)
			}
		})
	}
}

// The bad-input sweep at the recipe level: nothing changes before the
// VLAN ids and names are checked.
func TestXenVLANRefuses(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--vlans", "1000,4095"}, "vlan id 4095 is out of range"},
		{[]string{"--vlans", "0"}, "vlan id 0 is out of range"},
		{[]string{"--vlans", "4096"}, "vlan id 4096 is out of range"},
		{[]string{"--device", "enp0s20f0u1"}, "at most 15"},
		{[]string{"--device", "eth7", "--naming", "VLAN_PLUS_VID"}, "parent device \"eth7\" not found"},
		{[]string{"--guest-vlan", "7"}, "--guest-vlan 7 is not among"},
		{[]string{"--toolstack", "xm"}, "--toolstack xm: this host's toolstack is xl (xl info answers)"},
		{[]string{"--naming", "BOGUS"}, "unknown naming"},
	} {
		h := startest.SimHost(t)
		// An xl dom0, said outright: the sim makes a module's state on
		// first use, even a read such as the recipe's xen.toolstack().
		h.WithLock(func(h *sim.Host) { xensim.SetToolstack(h, "xl") })
		before := world(t, h)
		out, err := runRecipe(t, h, "xen-vlan.star", c.args...)
		if err == nil || !strings.Contains(interp.Render(err), c.want) {
			t.Errorf("%v: got %v, want %q\n%s", c.args, err, c.want, out)
		}
		if c.want != "--guest-vlan 7 is not among" && !strings.Contains(c.want, "not found") && !bytes.Equal(before, world(t, h)) {
			t.Errorf("%v: the host changed before the inputs were checked", c.args)
		}
	}
}
