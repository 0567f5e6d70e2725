package core_test

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/core"
)

// FuzzSprintf runs any format on an int, a float and a string: it never
// panics, and a format it accepts never leaves Go's "%!" error marks.
func FuzzSprintf(f *testing.F) {
	for _, s := range []string{"eth0.%04d", "%.2f", "%s %r", "%-5s|", "%#x", "%%", "%", "%05", "%.f", "%999999999d", "%+ 0#-5.3e", "%d%d%d%d", "é%dé"} {
		f.Add(s)
	}
	args := []starlark.Value{starlark.MakeInt(42), starlark.Float(1.5), starlark.String("x")}
	f.Fuzz(func(t *testing.T, format string) {
		for n := 0; n <= 3; n++ {
			for _, a := range args {
				tuple := make(starlark.Tuple, n)
				for i := range tuple {
					tuple[i] = a
				}
				out, err := core.Sprintf(format, tuple)
				if err == nil && strings.Contains(out, "%!") && !strings.Contains(format, "%!") && !strings.Contains(format, "%%!") {
					t.Fatalf("Sprintf(%q, %v) = %q", format, tuple, out)
				}
			}
		}
	})
}
