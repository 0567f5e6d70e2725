package starutil

import "testing"

func TestOperand(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" means accepted
	}{
		{"/dev/sdb", ""},
		{"VolGroup", ""},
		{"a-b", ""},
		{"./-x", ""},
		{"", `got "", want a device path`},
		{"-ff", `got "-ff", want a device path`},
		{"--help", `got "--help", want a device path`},
		{"-", `got "-", want a device path`},
		{"/dev/sd\x00b", `got "/dev/sd\x00b", want a device path without NUL bytes (a command line cannot hold them)`},
		{"\x00", `got "\x00", want a device path without NUL bytes (a command line cannot hold them)`},
	} {
		err := Operand(tc.in, "a device path")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Operand(%q) = %v, want nil", tc.in, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("Operand(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestPositionalSignature(t *testing.T) {
	for _, tc := range []struct {
		d    Doc
		want string
	}{
		{Doc{Name: "lvm.vgcreate", Params: "(vg, *devices)", Positional: 1}, "lvm.vgcreate(vg, /, *devices)"},
		{Doc{Name: "run", Params: `(*argv, env = {"a": "b,c"}, check = True)`}, `run(*argv, env = {"a": "b,c"}, check = True)`},
		{Doc{Name: "f", Params: `(a, b = "x, y", c = (1, 2))`, Positional: 2}, `f(a, b = "x, y", /, c = (1, 2))`},
	} {
		if got := tc.d.Signature(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cands []string
		want  string
	}{
		{"lvcreat", []string{"lvcreate", "lvs", "vgs"}, "lvcreate"},
		{"membaloon", []string{"memballoon", "memory"}, "memballoon"},
		{"DEVICETYP", []string{"DEVICETYPE", "DEVICE", "TYPE"}, "DEVICETYPE"},
		{"obsbr0", []string{"ovsbr0", "virbr0"}, "ovsbr0"},
		{"xyzzy", []string{"lvcreate", "lvs"}, ""},
		{"LVS", []string{"lvs"}, "lvs"},
	} {
		if got := Nearest(tc.name, tc.cands); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
