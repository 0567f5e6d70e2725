package sim_test

import (
	"fmt"
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
)

func TestGetopt(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-y", "vg/lv"}, "map[-y:] [vg/lv]"},
		{[]string{"-y", "-Slv_size>0||lv_name=a/b"}, "map[-S:lv_size>0||lv_name=a/b -y:] []"},
		{[]string{"-y", "--", "-Sx"}, "map[-y:] [-Sx]"},
		{[]string{"-L10G", "vg"}, "map[-L:10G] [vg]"},
		{[]string{"-L", "10G", "vg"}, "map[-L:10G] [vg]"},
		{[]string{"--size=1G", "--name", "x", "vg"}, "map[--name:x --size:1G] [vg]"},
		{[]string{"-fy", "/dev/x"}, "map[-f: -y:] [/dev/x]"},
		{[]string{"-", "x"}, "map[] [- x]"},
	} {
		opts, pos := sim.Getopt(tc.args, "-L", "-S", "--size", "--name")
		if got := fmt.Sprint(opts, " ", pos); got != tc.want {
			t.Errorf("Getopt(%q) = %s, want %s", tc.args, got, tc.want)
		}
	}
}
