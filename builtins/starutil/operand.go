package starutil

import (
	"fmt"
	"strings"
)

// Operand checks a name, path or device that goes to a tool as a
// positional argument: an empty one shifts the argv and one that begins
// with "-" is read as an option ("-ff" would force pvcreate). what says
// what was wanted ("a device path"); the builtin prefixes its name.
func Operand(value, what string) error {
	if value == "" || strings.HasPrefix(value, "-") {
		return fmt.Errorf("got %q, want %s", value, what)
	}
	return nil
}
