package csim

import "testing"

// FuzzParseFault: any spec is either a valid fault or an error, never a panic.
func FuzzParseFault(f *testing.F) {
	for _, s := range []string{"deployVirtualMachine=fail:533", "x=stuck", "a=http:503x2", "a=slow:1s", "=", "a=x:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := ParseFault(s)
		if err == nil && (fl.Command == "" || fl.Kind == "") {
			t.Errorf("ParseFault(%q) = %+v without error", s, fl)
		}
	})
}
