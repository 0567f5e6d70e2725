package ifcfg

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vrun-dev/vrun/builtins/ifname"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Key is one KEY=value of an ifcfg file, in file order.
type Key struct{ Name, Value string }

// known are the keys initscripts (network-scripts, ifup-ovs, ifup-eth,
// ifup-routes) read; a key outside them is most likely a typo
// ("DEVICETYP") that ifup would silently ignore. Numbered keys
// (IPADDR1, PREFIX0...) match numbered.
var known = strings.Fields(`ARPCHECK BONDING_OPTS BOOTPROTO BRIDGE BROADCAST DEFROUTE DELAY DEVICE DEVICETYPE
DHCP_HOSTNAME DNS1 DNS2 DNS3 DOMAIN ETHTOOL_OPTS GATEWAY HOTPLUG HWADDR IPADDR IPV4_FAILURE_FATAL IPV6ADDR
IPV6ADDR_SECONDARIES IPV6INIT IPV6_AUTOCONF IPV6_DEFAULTGW LINKDELAY MACADDR MASTER MTU NAME NETMASK NETWORK
NM_CONTROLLED NOZEROCONF ONBOOT OVSBOOTPROTO OVSDHCPINTERFACES OVSREQUIRES OVS_BRIDGE OVS_EXTRA OVS_OPTIONS
OVS_PATCH_PEER OVS_TUNNEL_OPTIONS OVS_TUNNEL_TYPE PEERDNS PEERROUTES PHYSDEV PREFIX REORDER_HDR SLAVE STP
TYPE USERCTL UUID VLAN VLAN_ID ZONE BOND_IFACES`)

var numbered = regexp.MustCompile(`^(IPADDR|PREFIX|NETMASK|GATEWAY)[0-9]+$`)

// types are TYPE's values initscripts act on.
var types = strings.Fields("Ethernet Bridge Bond Vlan InfiniBand Wireless OVSBridge OVSUserBridge OVSPort OVSIntPort OVSBond OVSTunnel OVSPatchPort OVSDPDKPort")

// Render checks keys for interface name and renders its ifcfg file.
// DEVICE comes first (added when missing); the rest keep their order.
func Render(name string, keys []Key) (string, error) {
	if err := ifname.Check(name, "an interface name"); err != nil {
		return "", err
	}
	vals := map[string]string{}
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return "", err
		}
		if _, dup := vals[k.Name]; dup {
			return "", fmt.Errorf("key %s given twice", k.Name)
		}
		vals[k.Name] = k.Value
	}
	if d, ok := vals["DEVICE"]; ok && d != name {
		return "", fmt.Errorf("DEVICE=%s in ifcfg-%s: initscripts would bring up %s from this file; the names must match", d, name, d)
	}
	if err := consistent(name, vals); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("DEVICE=" + quote(name) + "\n")
	for _, k := range keys {
		if k.Name != "DEVICE" {
			b.WriteString(k.Name + "=" + quote(k.Value) + "\n")
		}
	}
	return b.String(), nil
}

func checkKey(k Key) error {
	if !numbered.MatchString(k.Name) && !contains(known, k.Name) {
		return fmt.Errorf("unknown ifcfg key %q%s", k.Name, nearest(k.Name))
	}
	if strings.ContainsAny(k.Value, "\n\r\x00") {
		return fmt.Errorf("%s: got %q: a value must be one line without NUL bytes", k.Name, k.Value)
	}
	return nil
}

// consistent checks what ties keys together in initscripts.
func consistent(name string, v map[string]string) error {
	t, hasType := v["TYPE"]
	if hasType && !contains(types, t) {
		return fmt.Errorf("TYPE: got %q, want one of %s", t, strings.Join(types, ", "))
	}
	ovsType := strings.HasPrefix(t, "OVS")
	switch {
	case v["DEVICETYPE"] != "" && v["DEVICETYPE"] != "ovs":
		return fmt.Errorf("DEVICETYPE: got %q, want \"ovs\" (the only one initscripts know)", v["DEVICETYPE"])
	case ovsType && v["DEVICETYPE"] != "ovs":
		return fmt.Errorf("TYPE=%s needs DEVICETYPE=ovs, else ifup never calls ifup-ovs", t)
	case v["DEVICETYPE"] == "ovs" && !ovsType:
		return fmt.Errorf("DEVICETYPE=ovs needs TYPE=OVSBridge, OVSPort, OVSIntPort, OVSBond, OVSTunnel or OVSPatchPort")
	case (t == "OVSPort" || t == "OVSIntPort" || t == "OVSBond" || t == "OVSTunnel" || t == "OVSPatchPort") && v["OVS_BRIDGE"] == "":
		return fmt.Errorf("TYPE=%s needs OVS_BRIDGE, the bridge the port goes on", t)
	case v["VLAN"] == "yes" && !strings.Contains(name, ".") && v["PHYSDEV"] == "":
		return fmt.Errorf("VLAN=yes on %s: a name without the parent device (VLAN_PLUS_VID naming) needs PHYSDEV", name)
	}
	for _, k := range []string{"OVS_BRIDGE", "BRIDGE", "PHYSDEV", "MASTER"} {
		if x, ok := v[k]; ok {
			if err := ifname.Check(x, k+"'s interface name"); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	}
	for _, k := range []string{"ONBOOT", "HOTPLUG", "NM_CONTROLLED", "USERCTL", "VLAN", "STP", "IPV6INIT", "PEERDNS", "DEFROUTE", "SLAVE"} {
		if x, ok := v[k]; ok && x != "yes" && x != "no" && !(k == "STP" && (x == "on" || x == "off")) {
			return fmt.Errorf("%s: got %q, want \"yes\" or \"no\" (True or False)", k, x)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nearest suggests the known key closest to a typo.
func nearest(k string) string {
	if best := starutil.Nearest(k, known); best != "" {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}

// quote writes a value as bash reads it back: bare when it has only
// safe characters, else in double quotes with \ " $ ` escaped.
func quote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/,@+-") == "" {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(v) + `"`
}
