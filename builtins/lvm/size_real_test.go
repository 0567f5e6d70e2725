package lvm

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lvm/lvmtest"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// A fractional size means what it means to lvcreate -L: on real LVM, an
// LV made with -L TEXT and one made with the bytes size(TEXT) gives (as
// lvm.lvcreate passes them) come out the same size, with 1 KiB extents
// (where the rounding to sectors shows) and with the default 4 MiB ones.
func TestFractionalSizeMatchesLvcreate(t *testing.T) {
	r := lvmtest.New(t, 12<<30)
	lvSize := func(name string) string {
		return strings.TrimSpace(string(lvmtest.Must(t, r.Exec, "lvs", "--units", "b", "--nosuffix", "--noheadings", "-o", "lv_size", r.VG+"/"+name)))
	}
	create := func(size, name string) (string, error) {
		res, err := r.Exec.Run(context.Background(), exec.Cmd{Argv: []string{"lvcreate", "-y", "-Wn", "-Zn", "-L", size, "-n", name, r.VG}})
		if err == nil {
			err = exec.Check(res)
		}
		if err != nil {
			return "", err
		}
		got := lvSize(name)
		lvmtest.Must(t, r.Exec, "lvremove", "-y", r.VG+"/"+name)
		return got, nil
	}
	texts := []string{"9.57G", "9.57g", "1.3k", "1.9K", "2.5k", "0.75k", "10.001M", "3.14159G", "0.3M", "1.5G"}
	for _, extent := range []string{"1k", "4m"} {
		lvmtest.Must(t, r.Exec, "vgcreate", "-s", extent, r.VG, r.Loop)
		for _, text := range texts {
			n, err := starutil.ParseSize(text)
			if err != nil {
				t.Errorf("size(%q): %v", text, err)
				continue
			}
			byText, err1 := create(text, "t")
			byBytes, err2 := create(sizeArg(n), "b")
			if err1 != nil || err2 != nil || byText != byBytes {
				t.Errorf("extent %s: lvcreate -L %s gives %s (%v), -L %s (size(%q)) gives %s (%v)", extent, text, byText, err1, sizeArg(n), text, byBytes, err2)
			}
		}
		lvmtest.Must(t, r.Exec, "vgremove", "-y", r.VG)
	}
	// Below one sector lvcreate refuses ("--size may not be zero"); so does size().
	if n, err := starutil.ParseSize("0.1k"); err == nil {
		t.Errorf("size(\"0.1k\") = %d, want an error as lvcreate -L 0.1k gives", n)
	}
}
