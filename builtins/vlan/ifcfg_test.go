package vlan

import (
	"strings"
	"testing"
)

// The seed's ifcfg-eth0.0900 (DEV_PLUS_VID) and the VLAN_PLUS_VID case
// that needs PHYSDEV, plus its route-eth0.1000 multicast route.
func TestRenderIfcfg(t *testing.T) {
	r, err := RenderIfcfg(IfcfgSpec{Device: "eth0", ID: 900, Naming: DevPlusVID, Bootproto: "static", OnBoot: true, IPAddr: "192.168.1.1", Netmask: "255.255.255.0"})
	if err != nil {
		t.Fatal(err)
	}
	want := "DEVICE=eth0.0900\nVLAN=yes\nBOOTPROTO=static\nONBOOT=yes\nIPADDR=192.168.1.1\nNETMASK=255.255.255.0\n"
	if got := RenderKeys(r.Keys); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	r, err = RenderIfcfg(IfcfgSpec{Device: "eth0", ID: 1000, Naming: VLANPlusVID, Bootproto: "none", Bridge: "xenbr1000", Routes: []string{"224.0.0.0/4", "10.1.0.0/16 via 10.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	want = "DEVICE=vlan1000\nVLAN=yes\nPHYSDEV=eth0\nBOOTPROTO=none\nONBOOT=no\nBRIDGE=xenbr1000\n"
	if got := RenderKeys(r.Keys); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	want = "ADDRESS0=224.0.0.0\nNETMASK0=240.0.0.0\nADDRESS1=10.1.0.0\nNETMASK1=255.255.0.0\nGATEWAY1=10.0.0.1\n"
	if got := RenderKeys(r.Routes); got != want {
		t.Errorf("routes: got\n%s\nwant\n%s", got, want)
	}
}

func TestRenderIfcfgRefuses(t *testing.T) {
	for _, c := range []struct {
		s    IfcfgSpec
		want string
	}{
		{IfcfgSpec{Device: "eth0", ID: 4095, Naming: DevPlusVID, Bootproto: "none"}, "out of range"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "bootp"}, "bootproto"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", IPAddr: "192.168.1.300", Netmask: "255.0.0.0"}, "not an IPv4"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", IPAddr: "192.168.1.3"}, "needs a netmask"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", IPAddr: "192.168.1.3", Netmask: "255.0.255.0"}, "not contiguous"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", Netmask: "255.0.0.0"}, "without an ipaddr"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", Bridge: "-br"}, "option"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", Routes: []string{"224.0.0.1/4"}}, "host bits"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", Routes: []string{"::/0"}}, "IPv4 CIDR"},
		{IfcfgSpec{Device: "eth0", ID: 10, Naming: DevPlusVID, Bootproto: "none", Routes: []string{"10.0.0.0/8 via x"}}, "gateway"},
	} {
		if _, err := RenderIfcfg(c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error with %q", c.s, err, c.want)
		}
	}
	// A value that is not a plain word is quoted for the shell that sources it.
	if got := RenderKeys([][2]string{{"NAME", "it's a $x"}}); got != "NAME='it'\\''s a $x'\n" {
		t.Errorf("got %q", got)
	}
}
