package fs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// canned answers blockdev with 64 MiB and blkid with a fixed result.
type canned struct {
	code           int
	stdout, stderr string
}

func (c canned) Run(_ context.Context, cmd exec.Cmd) (exec.Result, error) {
	if cmd.Argv[0] == "blockdev" {
		return exec.Result{Argv: cmd.Argv, Stdout: []byte("67108864\n")}, nil
	}
	return exec.Result{Argv: cmd.Argv, Code: c.code, Stdout: []byte(c.stdout), Stderr: []byte(c.stderr)}, nil
}

// Whatever blkid reports makes a device in use, and fs.info and mkfs name
// it; blkid's failures are errors, not "blank". The outputs are real
// blkid -p -o export lines (util-linux 2.38).
func TestProbeSignatures(t *testing.T) {
	for _, c := range []struct {
		blkid canned
		what  string // "" for an error
		err   string
	}{
		{canned{2, "", ""}, "nothing", ""},
		{canned{0, "DEVNAME=/dev/x\nPTUUID=2a9fc2b3\nPTTYPE=dos\n", ""}, "a dos partition table", ""},
		{canned{0, "DEVNAME=/dev/x\nPTUUID=6373ad20-5752-2342-96c1-bb5310232ca6\nPTTYPE=gpt\n", ""}, "a gpt partition table", ""},
		{canned{0, "DEVNAME=/dev/x\nUUID=Lq1n2x-0d1u\nVERSION=LVM2 001\nTYPE=LVM2_member\nUSAGE=raid\n", ""}, "an LVM physical volume", ""},
		{canned{0, "DEVNAME=/dev/x\nVERSION=2\nUUID=0c5e\nTYPE=crypto_LUKS\nUSAGE=crypto\n", ""}, "a LUKS container", ""},
		{canned{0, "DEVNAME=/dev/x\nUUID=1b2c\nTYPE=linux_raid_member\nUSAGE=raid\n", ""}, "a linux_raid_member RAID member", ""},
		{canned{0, "DEVNAME=/dev/x\nUUID=1522a8ab\nVERSION=1\nTYPE=swap\nUSAGE=other\n", ""}, "a swap area", ""},
		{canned{0, "DEVNAME=/dev/x\nTYPE=zfs_member\nUSAGE=filesystem\n", ""}, "a zfs_member filesystem", ""},
		{canned{0, "DEVNAME=/dev/x\nPART_ENTRY_SCHEME=dos\nPART_ENTRY_TYPE=0x83\nPART_ENTRY_NUMBER=1\n", ""}, "a signature blkid reports as PART_ENTRY_NUMBER=1 PART_ENTRY_SCHEME=dos PART_ENTRY_TYPE=0x83", ""},
		{canned{2, "", "blkid: error: /dev/x: Permission denied\n"}, "", "blkid cannot tell what is on /dev/x"},
		{canned{8, "", ""}, "", "blkid cannot tell what is on /dev/x"}, // ambivalent probing result
		{canned{0, "DEVNAME=/dev/x\n", ""}, "", "blkid exited 0 but reported nothing on /dev/x"},
	} {
		g, err := runStar(t, c.blkid, `i = fs.info("/dev/x")`)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("blkid %+v: got %v, want an error with %q", c.blkid, err, c.err)
		case c.err != "":
			_, merr := runStar(t, c.blkid, `fs.mkfs("/dev/x")`)
			if merr == nil || !strings.Contains(merr.Error(), c.err) {
				t.Errorf("mkfs with blkid %+v: got %v, want an error with %q", c.blkid, merr, c.err)
			}
		case err != nil:
			t.Errorf("blkid %+v: %v", c.blkid, err)
		case c.what == "nothing":
			if !strings.Contains(g["i"].String(), "what = None") {
				t.Errorf("blank: fs.info = %s", g["i"])
			}
		default:
			if !strings.Contains(g["i"].String(), `what = "`+c.what+`"`) {
				t.Errorf("fs.info = %s, want what = %q", g["i"], c.what)
			}
			_, merr := runStar(t, c.blkid, `fs.mkfs("/dev/x")`)
			if merr == nil || !strings.Contains(merr.Error(), "/dev/x already holds "+c.what) {
				t.Errorf("mkfs over %s: got %v, want a refusal naming it", c.what, merr)
			}
		}
	}
}

// The simulated umount refuses a busy target with umount's own words and
// exit code, compared with the real one on a mount with another below it;
// / is always busy.
func TestSimUmountBusyLikeReal(t *testing.T) {
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "mkfs.ext4", "mount", "umount")
	dir := t.TempDir()
	top, sub := filepath.Join(dir, "top"), filepath.Join(dir, "top", "sub")
	host := &exec.Local{}
	var imgs []string
	for _, n := range []string{"a.img", "b.img"} {
		img := filepath.Join(dir, n)
		if err := os.WriteFile(img, nil, 0o600); err != nil || os.Truncate(img, 16<<20) != nil {
			t.Fatal(err)
		}
		mustLocal(t, host, "mkfs.ext4", "-q", "-F", img)
		imgs = append(imgs, img)
	}
	if err := os.MkdirAll(top, 0o755); err != nil {
		t.Fatal(err)
	}
	mustLocal(t, host, "mount", "-o", "loop", imgs[0], top)
	t.Cleanup(func() { _, _ = host.Run(context.Background(), exec.Cmd{Argv: []string{"umount", "-d", top}}) })
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	mustLocal(t, host, "mount", "-o", "loop", imgs[1], sub)
	t.Cleanup(func() { _, _ = host.Run(context.Background(), exec.Cmd{Argv: []string{"umount", "-d", sub}}) })
	real, err := host.Run(context.Background(), exec.Cmd{Argv: []string{"umount", "--", top}})
	if err != nil {
		t.Fatal(err)
	}

	h := simHost(map[string]int64{"/dev/loop1": 64 << 20, "/dev/loop2": 64 << 20, "/dev/root": 64 << 20})
	for _, argv := range [][]string{{"mkfs.ext4", "-q", "-F", "/dev/loop1"}, {"mkfs.ext4", "-q", "-F", "/dev/loop2"},
		{"mkfs.ext4", "-q", "-F", "/dev/root"}, {"mount", "/dev/root", "/"}, {"mount", "/dev/loop1", top}, {"mount", "/dev/loop2", sub}} {
		mustLocal(t, h, argv...)
	}
	fake, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"umount", "--", top}})
	if err != nil {
		t.Fatal(err)
	}
	if fake.Code != real.Code || string(fake.Stderr) != string(real.Stderr) {
		t.Errorf("sim umount of a busy target: rc %d %q; real: rc %d %q", fake.Code, fake.Stderr, real.Code, real.Stderr)
	}
	if root, _ := h.Run(context.Background(), exec.Cmd{Argv: []string{"umount", "/"}}); root.Code != 32 || string(root.Stderr) != "umount: /: target is busy.\n" {
		t.Errorf("sim umount /: rc %d %q", root.Code, root.Stderr)
	}
	// Below first, then the top: as on the real host.
	mustLocal(t, h, "umount", sub)
	mustLocal(t, h, "umount", top)
}

func mustLocal(t *testing.T, ex exec.Executor, argv ...string) {
	t.Helper()
	res, err := ex.Run(context.Background(), exec.Cmd{Argv: argv})
	if err == nil {
		err = exec.Check(res)
	}
	if err != nil {
		t.Fatal(err)
	}
}
