package qemu_test

import (
	"context"
	"crypto/sha256"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/interp"
)

// snapImage makes a qcow2 whose first 64 KiB hold 0xaa in snapshot "s1"
// and 0xbb now, on the real qemu-img and qemu-io.
func snapImage(t *testing.T) string {
	t.Helper()
	exectest.RequireTools(t, "qemu-img", "qemu-io")
	p := filepath.Join(t.TempDir(), "d.qcow2")
	for _, argv := range [][]string{
		{"qemu-img", "create", "-q", "-f", "qcow2", p, "1M"},
		{"qemu-io", "-f", "qcow2", "-c", "write -P 0xaa 0 64k", p},
		{"qemu-img", "snapshot", "-c", "s1", p},
		{"qemu-io", "-f", "qcow2", "-c", "write -P 0xbb 0 64k", p},
	} {
		if out, err := osexec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", argv, err, out)
		}
	}
	return p
}

// holds reports whether the image's first 64 KiB are all the byte pattern.
func holds(t *testing.T, p, pattern string) bool {
	t.Helper()
	out, err := osexec.Command("qemu-io", "-f", "qcow2", "-c", "read -P "+pattern+" 0 64k", p).CombinedOutput()
	if strings.Contains(string(out), "Pattern verification failed") { // and rc 1
		return false
	}
	if err != nil {
		t.Fatalf("qemu-io read: %v\n%s", err, out)
	}
	return true
}

func checksum(t *testing.T, p string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

func snapCall(o interp.Options, src string) error {
	o.Ctx = context.Background()
	in := interp.MustNew(o)
	_, err := in.ExecFile(in.Thread("t"), "t.star", []byte(src))
	return err
}

// apply and delete without confirm leave the image byte for byte as it
// was; with confirm = True (or --yes) they rewind it and drop the snapshot.
func TestRealSnapshotApplyDeleteNeedConfirm(t *testing.T) {
	p := snapImage(t)
	before := checksum(t, p)
	for _, op := range []string{"apply", "delete"} {
		err := snapCall(interp.Options{}, `qemu.img.snapshot("`+p+`", `+op+` = "s1")`)
		if err == nil {
			t.Fatalf("%s without confirm: no error", op)
		}
		msg := interp.Render(err)
		for _, want := range []string{"qemu.img.snapshot: ", p, `"s1"`, "pass confirm = True (or run with --yes)"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s without confirm: got %q, want it to contain %q", op, msg, want)
			}
		}
		if checksum(t, p) != before {
			t.Fatalf("%s without confirm changed %s", op, p)
		}
	}
	if !holds(t, p, "0xbb") {
		t.Fatal("the image lost its current data without confirmation")
	}
	if err := snapCall(interp.Options{}, `qemu.img.snapshot("`+p+`", apply = "s1", confirm = True)`); err != nil {
		t.Fatal(interp.Render(err))
	}
	if !holds(t, p, "0xaa") {
		t.Error("apply with confirm did not revert the image to s1")
	}
	src := `left = qemu.img.snapshot("` + p + `", delete = "s1")
if left != []:
    fail("snapshots left: %r" % left)`
	if err := snapCall(interp.Options{Yes: true}, src); err != nil {
		t.Fatal(interp.Render(err))
	}
	if out, _ := osexec.Command("qemu-img", "snapshot", "-l", p).CombinedOutput(); strings.Contains(string(out), "s1") {
		t.Errorf("delete with --yes left the snapshot:\n%s", out)
	}
}
