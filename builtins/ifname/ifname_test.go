package ifname

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, ok := range []string{"eth0", "ovsbr0", "eth0.100", "vlan0100", "br-ex", "a_b", "abcdefghijklmno"} {
		if err := Check(ok, "a link name"); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	bad := map[string]string{
		"":                 "empty",
		"-x":               "option",
		"--help":           "option",
		".":                "the kernel refuses",
		"a b":              "found ' '",
		`q"x`:              "found '\"'",
		"a'b":              "found '\\''",
		"ünï":              "found 'ü'",
		"a/b":              "found '/'",
		"a:b":              "found ':'",
		"a\x00b":           "found '\\x00'",
		"a\nb":             "found '\\n'",
		"abcdefghijklmnop": "16 bytes",
		"$(reboot)":        "found '$'",
	}
	for name, want := range bad {
		err := Check(name, "a link name")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", name, err, want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("eth0")
	f.Add("ünï")
	f.Fuzz(func(t *testing.T, s string) {
		if Check(s, "a name") == nil && (len(s) > MaxLen || strings.ContainsAny(s, " /:\"'\x00") || strings.HasPrefix(s, "-")) {
			t.Fatalf("accepted %q", s)
		}
	})
}
