package fs

import (
	"strings"
	"testing"
)

func TestEnsureFstab(t *testing.T) {
	base := "# comment mentioning /data\n/dev/sda1 / ext4 defaults 1 1\n"
	want := FstabEntry{Device: "/dev/mapper/VolGroup-lv_data", Dir: "/data", Type: "ext4", Options: []string{"defaults", "user_xattr"}, Dump: 1, Passno: 2}
	line := "/dev/mapper/VolGroup-lv_data /data ext4 defaults,user_xattr 1 2"

	got, l, changed := EnsureFstab(base, want)
	if !changed || l != line || got != base+line+"\n" {
		t.Fatalf("append: changed=%v line=%q content=%q", changed, l, got)
	}
	again, _, changed := EnsureFstab(got, want)
	if changed || again != got {
		t.Errorf("second call changed the file: %q", again)
	}
	// A later call with fewer options keeps user_xattr.
	plain := want
	plain.Options = []string{"defaults"}
	kept, l, changed := EnsureFstab(got, plain)
	if changed || !strings.Contains(l, "defaults,user_xattr") || kept != got {
		t.Errorf("options not kept: changed=%v line=%q", changed, l)
	}
	// A different device for the same mount point replaces the line in place;
	// a duplicate line for it goes away.
	dup := base + "/dev/old /data ext3 defaults,noatime 0 0\n/dev/older /data ext2 defaults 0 0\ntmpfs /tmp tmpfs defaults 0 0\n"
	rep, l, changed := EnsureFstab(dup, want)
	wantRep := base + "/dev/mapper/VolGroup-lv_data /data ext4 defaults,user_xattr,noatime 1 2\ntmpfs /tmp tmpfs defaults 0 0\n"
	if !changed || rep != wantRep {
		t.Errorf("replace: got %q\nwant %q (line %q)", rep, wantRep, l)
	}
	// No trailing newline in the original.
	if got, _, _ := EnsureFstab("/dev/a / ext4 defaults 1 1", want); got != "/dev/a / ext4 defaults 1 1\n"+line+"\n" {
		t.Errorf("no final newline: %q", got)
	}
}
