// Package ifname checks network interface names before they reach ip,
// bridge, brctl, ovs-vsctl or an ifcfg file: the kernel takes almost any
// byte, but each tool quotes or cuts names its own way (ovs-vsctl makes
// a 17-byte port whose link the kernel names with its first 15 bytes;
// an ifcfg file is sourced by a shell), so vrun accepts only the names
// every one of them reads the same.
package ifname

import (
	"fmt"
	"strings"
)

// MaxLen is the kernel's IFNAMSIZ (16) less the terminating NUL.
const MaxLen = 15

// Check refuses a name that is not a plain interface name; what says what
// was wanted ("a bridge name").
func Check(name, what string) error {
	switch {
	case name == "":
		return fmt.Errorf("got an empty name, want %s", what)
	case strings.HasPrefix(name, "-"):
		return fmt.Errorf("got %q, want %s (a leading '-' reads as an option)", name, what)
	case name == "." || name == "..":
		return fmt.Errorf("got %q, want %s (the kernel refuses . and ..)", name, what)
	case len(name) > MaxLen:
		return fmt.Errorf("got %q (%d bytes), want %s of at most %d bytes (the kernel's IFNAMSIZ)", name, len(name), what, MaxLen)
	}
	for _, r := range name {
		if !plain(r) {
			return fmt.Errorf("got %q, want %s of letters, digits, '.', '_' and '-' (found %q)", name, what, r)
		}
	}
	return nil
}

func plain(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}
