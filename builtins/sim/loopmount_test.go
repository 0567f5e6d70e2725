package sim

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
)

func run(t *testing.T, h *Host, argv ...string) exec.Result {
	t.Helper()
	r, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// An ISO image loop-mounted read-only, found by findmnt through its
// backing file, checked by sha256sum, given away by chown, and saved in
// the world; an image that is no ISO is refused as the kernel does.
func TestLoopISOAndOwners(t *testing.T) {
	h := New()
	iso := make([]byte, 40000)
	copy(iso[isoMagicAt:], "CD001")
	h.MakeDir("/srv/os")
	h.WriteFile("/srv/dvd.iso", iso, 0o644)
	h.WriteFile("/srv/junk.iso", make([]byte, 40000), 0o644)
	if r := run(t, h, "mount", "-o", "loop,ro", "--", "/srv/junk.iso", "/srv/os"); r.Code != 32 || !strings.Contains(string(r.Stderr), "wrong fs type") {
		t.Fatalf("junk mounted: %+v", r)
	}
	if r := run(t, h, "mount", "-o", "loop,ro", "-t", "iso9660", "--", "/srv/dvd.iso", "/srv/os"); r.Code != 0 || len(r.Stderr) != 0 {
		t.Fatalf("mount: %+v", r)
	}
	if r := run(t, h, "mount", "-o", "loop,ro", "/srv/dvd.iso", "/srv/os"); r.Code != 32 || !strings.Contains(string(r.Stderr), "already mounted") {
		t.Fatalf("mounted twice: %+v", r)
	}
	r := run(t, h, "findmnt", "-J", "-l", "-o", "SOURCE,TARGET,FSTYPE", "--source", "/srv/dvd.iso")
	if r.Code != 0 || !strings.Contains(string(r.Stdout), `"source": "/dev/loop0"`) || !strings.Contains(string(r.Stdout), `"fstype": "iso9660"`) {
		t.Fatalf("findmnt: %+v %s", r, r.Stdout)
	}
	r = run(t, h, "sha256sum", "--", "/srv/dvd.iso", "/srv/none")
	if r.Code != 1 || !strings.HasSuffix(string(r.Stdout), "  /srv/dvd.iso\n") || string(r.Stderr) != "sha256sum: /srv/none: No such file or directory\n" {
		t.Fatalf("sha256sum: %+v", r)
	}
	run(t, h, "useradd", "reposer")
	if r := run(t, h, "chown", "-R", "reposer.reposer", "/srv"); r.Code != 0 {
		t.Fatalf("chown: %+v", r)
	}
	if r := run(t, h, "chown", "bob", "/srv"); string(r.Stderr) != "chown: invalid user: 'bob'\n" {
		t.Fatalf("chown bob: %+v", r)
	}
	if r := run(t, h, "stat", "-c", "%U:%G %n", "/srv/dvd.iso", "/tmp"); string(r.Stdout) != "reposer:reposer /srv/dvd.iso\nroot:root /tmp\n" {
		t.Fatalf("stat: %q", r.Stdout)
	}
	saved, err := h.SaveWorld()
	if err != nil {
		t.Fatal(err)
	}
	h2 := New()
	if err := h2.LoadWorld(saved); err != nil {
		t.Fatal(err)
	}
	if r := run(t, h2, "umount", "/srv/dvd.iso"); r.Code != 0 {
		t.Fatalf("umount by file after reload: %+v", r)
	}
	if _, ok := StorageOf(h2).Device("/dev/loop0"); ok {
		t.Error("loop device kept after umount (autoclear)")
	}
	if r := run(t, h2, "stat", "-c", "%U", "/srv/os"); string(r.Stdout) != "reposer\n" {
		t.Errorf("owner lost in the world file: %q", r.Stdout)
	}
}
