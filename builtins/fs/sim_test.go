package fs

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// simFresh is the state testdata/*.txt were captured in: a fresh ext4 on a
// 64 MiB /dev/loop1, mounted on /tmp/lvmx/mnt for df and findmnt.
func simFresh(t *testing.T, mounted bool) *sim.Host {
	h := simHost(map[string]int64{"/dev/loop1": 64 << 20})
	run := func(argv ...string) {
		res, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
		if err == nil {
			err = exec.Check(res)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	run("mkfs.ext4", "-q", "-F", "/dev/loop1")
	if mounted {
		run("mount", "/dev/loop1", "/tmp/lvmx/mnt")
	}
	return h
}

func simOutput(t *testing.T, h *sim.Host, argv ...string) string {
	t.Helper()
	res, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	return string(res.Stdout)
}

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// The fakes print what the real tools printed in the same state, byte for
// byte (uuids aside).
func TestSimPrintsRealFormats(t *testing.T) {
	h := simFresh(t, true)
	for _, c := range []struct {
		file string
		argv []string
	}{
		{"df.txt", []string{"df", "-B1", "--output=source,fstype,size,used,avail,target", "/tmp/lvmx/mnt"}},
		{"findmnt.json", []string{"findmnt", "-J", "-l", "-b", "-o", "SOURCE,TARGET,FSTYPE,OPTIONS", "--mountpoint", "/tmp/lvmx/mnt"}},
		{"blkid-ext4.txt", []string{"blkid", "-p", "-o", "export", "/dev/loop1"}},
	} {
		got := uuidPattern.ReplaceAllString(simOutput(t, h, c.argv...), "UUID")
		want := uuidPattern.ReplaceAllString(string(readTestdata(t, c.file)), "UUID")
		if got != want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", strings.Join(c.argv, " "), got, want)
		}
	}
	// dumpe2fs: the fake prints a subset of the header, each line as the
	// real one (same label column, same values for a fresh filesystem).
	h = simFresh(t, false)
	real := map[string]string{}
	for _, l := range strings.Split(string(readTestdata(t, "dumpe2fs-ext4.txt")), "\n") {
		if k, _, ok := strings.Cut(l, ":"); ok {
			real[k] = l
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(simOutput(t, h, "dumpe2fs", "-h", "/dev/loop1")), "\n") {
		k, _, _ := strings.Cut(l, ":")
		if k == "Filesystem UUID" || k == "Free inodes" {
			continue
		}
		if real[k] != l {
			t.Errorf("dumpe2fs line %q, real %q", l, real[k])
		}
	}
	e2 := simOutput(t, h, "e2fsck", "-f", "-y", "/dev/loop1")
	if want := string(readTestdata(t, "e2fsck.txt")); !strings.HasSuffix(want, e2[strings.Index(e2, "Pass 1"):]) {
		t.Errorf("e2fsck:\n%s\nwant the end of:\n%s", e2, want)
	}
}

func TestSimFilesystemRules(t *testing.T) {
	h := simFresh(t, true)
	cases := []struct {
		argv []string
		code int
		msg  string
	}{
		{[]string{"resize2fs", "/dev/loop1", "30M"}, 1, "resize2fs: On-line shrinking not supported"},
		{[]string{"e2fsck", "-f", "-y", "/dev/loop1"}, 8, "e2fsck: Cannot continue, aborting."},
		{[]string{"mount", "/dev/loop1", "/mnt"}, 32, "/dev/loop1 already mounted on /tmp/lvmx/mnt"},
		{[]string{"mkfs.ext4", "-q", "-F", "/dev/loop1"}, 1, "will not make a filesystem here!"},
		{[]string{"umount", "/nowhere"}, 32, "umount: /nowhere: not mounted."},
		{[]string{"df", "-B1", "--output=source,fstype,size,used,avail,target", "relative"}, 1, "No such file or directory"},
	}
	for _, c := range cases {
		res, err := h.Run(context.Background(), exec.Cmd{Argv: c.argv})
		if err != nil || res.Code != c.code || !strings.Contains(string(res.Stderr), c.msg) {
			t.Errorf("%v: rc %d stderr %q (%v); want rc %d and %q", c.argv, res.Code, res.Stderr, err, c.code, c.msg)
		}
	}
	simOutput(t, h, "umount", "/tmp/lvmx/mnt")
	res, _ := h.Run(context.Background(), exec.Cmd{Argv: []string{"resize2fs", "/dev/loop1", "30M"}})
	if res.Code != 1 || !strings.Contains(string(res.Stderr), "Please run 'e2fsck -f /dev/loop1' first.") {
		t.Errorf("resize2fs after a mount without e2fsck: rc %d %q", res.Code, res.Stderr)
	}
	simOutput(t, h, "e2fsck", "-f", "-y", "/dev/loop1")
	res, _ = h.Run(context.Background(), exec.Cmd{Argv: []string{"resize2fs", "/dev/loop1", "5M"}})
	if res.Code != 1 || !strings.Contains(string(res.Stderr), "New size smaller than minimum") {
		t.Errorf("resize2fs below the minimum: rc %d %q", res.Code, res.Stderr)
	}
}

// df on a missing path: the fake answers as GNU df does here (rc and
// stderr), instead of the filesystem that would hold the path.
func TestSimDfMissingPathLikeReal(t *testing.T) {
	exectest.RequireTools(t, "df")
	missing := filepath.Join(t.TempDir(), "nope")
	argv := []string{"df", "-B1", "--output=source,fstype,size,used,avail,target", missing}
	real, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	// The sim holds the parent as a mount point, as the real host holds it.
	h := simFresh(t, false)
	if res, err := h.Run(context.Background(), exec.Cmd{Argv: []string{"mount", "/dev/loop1", filepath.Dir(missing)}}); err != nil || res.Code != 0 {
		t.Fatalf("mount in the sim: %v %s", err, res.Stderr)
	}
	fake, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	if fake.Code != real.Code || string(fake.Stderr) != string(real.Stderr) || len(fake.Stdout) != 0 {
		t.Errorf("sim df: rc %d, stderr %q, stdout %q; real: rc %d, stderr %q", fake.Code, fake.Stderr, fake.Stdout, real.Code, real.Stderr)
	}
}
