package starutil

import (
	"fmt"
	"strings"
)

// Operand checks a name, path or device that goes to a tool as a
// positional argument: an empty one shifts the argv, one that begins with
// "-" is read as an option ("-ff" would force pvcreate, "-Sselect" makes
// lvremove remove every LV), and a NUL byte cannot be passed to a program
// at all. what says what was wanted ("a device path"). Every builtin that
// turns user text into an operand goes through here, so
// the real host and the simulator refuse the same values.
func Operand(value, what string) error {
	switch {
	case value == "" || strings.HasPrefix(value, "-"):
		return fmt.Errorf("got %q, want %s", value, what)
	case strings.IndexByte(value, 0) >= 0:
		return fmt.Errorf("got %q, want %s without NUL bytes (a command line cannot hold them)", value, what)
	}
	return nil
}
