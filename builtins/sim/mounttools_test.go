package sim_test

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// The host's own mount, umount, findmnt and df, with no module installed:
// one fake per command, reading the host's block layer.
func TestMountToolsAreTheHosts(t *testing.T) {
	h := sim.New()
	h.WithLock(func(h *sim.Host) {
		st := sim.StorageOf(h)
		st.AddDevice(&sim.BlockDev{Path: "/dev/vdb", Size: 1 << 30, FS: &sim.Filesystem{Type: "ext4", UUID: "u", BlockSize: 4096, Blocks: 262144, Used: 14 << 10, Journal: sim.JournalBlocks(262144)}})
		st.AddDevice(&sim.BlockDev{Path: "/dev/vdc", Size: 1 << 30})
	})
	for _, tc := range []struct {
		argv []string
		rc   int
		out  string
	}{
		{[]string{"mount", "/dev/vdb", "/mnt"}, 0, ""},
		{[]string{"mount", "/dev/vdb", "/srv"}, 32, "/dev/vdb already mounted on /mnt"},
		{[]string{"mount", "/dev/vdc", "/srv"}, 32, "wrong fs type"},
		{[]string{"mount", "/dev/nope", "/srv"}, 32, "special device /dev/nope does not exist"},
		{[]string{"findmnt", "-J", "-l", "-o", "SOURCE,TARGET", "--mountpoint", "/mnt"}, 0, `"source": "/dev/vdb"`},
		{[]string{"findmnt", "-J", "-l", "--mountpoint", "/srv"}, 1, ""},
		{[]string{"df", "-B1", "--output=source,fstype,size,used,avail,target", "/mnt"}, 0, "/dev/vdb       ext4"},
		{[]string{"umount", "/srv"}, 32, "umount: /srv: not mounted."},
		{[]string{"umount", "/dev/vdb"}, 0, ""},
		{[]string{"findmnt", "-J", "-l", "--mountpoint", "/mnt"}, 1, ""},
	} {
		r := run(t, h, "", tc.argv...)
		if r.Code != tc.rc || !strings.Contains(string(r.Stdout)+string(r.Stderr), tc.out) {
			t.Errorf("%v: rc %d out %q err %q; want rc %d and %q", tc.argv, r.Code, r.Stdout, r.Stderr, tc.rc, tc.out)
		}
	}
}
