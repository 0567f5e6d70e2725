package vlan

import (
	"fmt"
	"strings"
)

// The four VLAN_NAME_TYPE schemes of vconfig set_name_type and pre-2010
// RHEL initscripts (/etc/sysconfig/network), named as there.
const (
	VLANPlusVID        = "VLAN_PLUS_VID"        // vlan0100
	VLANPlusVIDNoPad   = "VLAN_PLUS_VID_NO_PAD" // vlan100
	DevPlusVID         = "DEV_PLUS_VID"         // eth0.0100
	DevPlusVIDNoPad    = "DEV_PLUS_VID_NO_PAD"  // eth0.100
	defaultNaming      = DevPlusVIDNoPad
	maxIfname          = 15 // IFNAMSIZ - 1: the kernel's dev_valid_name
	minVID, maxVID     = 1, 4094
	namingSchemesInMsg = "VLAN_PLUS_VID, VLAN_PLUS_VID_NO_PAD, DEV_PLUS_VID or DEV_PLUS_VID_NO_PAD"
)

// CheckID refuses what 802.1Q does not give a VLAN: 0 tags priority only
// and 4095 is reserved, so only 1..4094 name a network.
func CheckID(id int) error {
	if id < minVID || id > maxVID {
		return fmt.Errorf("vlan id %d is out of range: want 1 to 4094 (0 marks priority-only frames, 4095 is reserved)", id)
	}
	return nil
}

// CheckDevice checks a link name as the kernel would take it.
func CheckDevice(name, what string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is empty", what)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("got %q, want %s (a name starting with \"-\" reads as an option)", name, what)
	case len(name) > maxIfname:
		return fmt.Errorf("%s %q is %d bytes long: Linux interface names hold at most 15", what, name, len(name))
	case name == "." || name == ".." || strings.ContainsAny(name, "/: \t\n\x00"):
		return fmt.Errorf("got %q, want %s (no '/', ':', whitespace or NUL; not . or ..)", name, what)
	}
	return nil
}

// Name is the interface name a naming scheme gives device's VLAN id.
func Name(device string, id int, naming string) (string, error) {
	if err := CheckID(id); err != nil {
		return "", err
	}
	if err := CheckDevice(device, "a parent device"); err != nil {
		return "", err
	}
	var name string
	switch naming {
	case VLANPlusVID:
		name = fmt.Sprintf("vlan%04d", id)
	case VLANPlusVIDNoPad:
		name = fmt.Sprintf("vlan%d", id)
	case DevPlusVID:
		name = fmt.Sprintf("%s.%04d", device, id)
	case DevPlusVIDNoPad:
		name = fmt.Sprintf("%s.%d", device, id)
	default:
		return "", fmt.Errorf("unknown naming %q: want %s", naming, namingSchemesInMsg)
	}
	if len(name) > maxIfname {
		return "", fmt.Errorf("the name %q (%s of %s, id %d) is %d bytes long: Linux interface names hold at most 15; pick a shorter scheme (VLAN_PLUS_VID_NO_PAD gives vlan%d)", name, naming, device, id, len(name), id)
	}
	return name, nil
}

// NeedsPhysdev reports whether a scheme's names do not tell the parent
// device, so ifcfg files must name it with PHYSDEV=.
func NeedsPhysdev(naming string) bool {
	return naming == VLANPlusVID || naming == VLANPlusVIDNoPad
}
