package fs

import (
	"bytes"
	"context"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/modtest"
)

// A world saved after mkfs and loaded into a fresh host answers the same,
// and the next filesystem gets the same UUID on both: the UUID sequence is
// part of the world, so a follow-up rehearsal does not repeat an id.
func TestWorldRoundTrip(t *testing.T) {
	h := simHost(map[string]int64{"/dev/vdb": 1 << 30, "/dev/vdc": 1 << 30})
	mustRun(t, h, `fs.mkfs("/dev/vdb")`)
	saved := modtest.SaveWorld(t, h)
	h2 := simHost(nil)
	modtest.LoadWorld(t, h2, saved)
	for _, argv := range [][]string{
		{"blkid", "-p", "-o", "export", "/dev/vdb"},
		{"dumpe2fs", "-h", "/dev/vdb"},
		{"mkfs.ext4", "-q", "/dev/vdc"},
		{"blkid", "-p", "-o", "export", "/dev/vdc"},
	} {
		a, aerr := h.Run(context.Background(), exec.Cmd{Argv: argv})
		b, berr := h2.Run(context.Background(), exec.Cmd{Argv: argv})
		if aerr != nil || berr != nil {
			t.Fatal(aerr, berr)
		}
		if a.Code != b.Code || !bytes.Equal(a.Stdout, b.Stdout) || !bytes.Equal(a.Stderr, b.Stderr) {
			t.Errorf("%v differs after a reload:\nbefore: %d %s%s\nafter:  %d %s%s", argv, a.Code, a.Stdout, a.Stderr, b.Code, b.Stdout, b.Stderr)
		}
	}
	if a, b := modtest.SaveWorld(t, h), modtest.SaveWorld(t, h2); !bytes.Equal(a, b) {
		t.Errorf("the reloaded world saves differently:\n%s\nvs\n%s", a, b)
	}
}
