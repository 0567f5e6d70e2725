package qemu_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp/startest"
)

// Images made before a save are the same images after a load: format,
// size, backing file and snapshots, as qemu-img info and snapshot -l show.
func TestWorldRoundTrip(t *testing.T) {
	h := startest.SimHost(t)
	run := func(h *sim.Host, argv ...string) exec.Result {
		t.Helper()
		r, err := h.Run(context.Background(), exec.Cmd{Argv: argv})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, argv := range [][]string{
		{"qemu-img", "create", "-f", "qcow2", "/var/lib/base.qcow2", "2G"},
		{"qemu-img", "create", "-f", "qcow2", "-b", "/var/lib/base.qcow2", "-F", "qcow2", "/var/lib/vm.qcow2"},
		{"qemu-img", "snapshot", "-c", "before", "/var/lib/vm.qcow2"},
		{"qemu-img", "resize", "/var/lib/vm.qcow2", "+1G"},
		{"qemu-img", "create", "-f", "raw", "/var/lib/scratch.img", "512M"},
	} {
		if r := run(h, argv...); r.Code != 0 {
			t.Fatalf("%v: %s", argv, r.Stderr)
		}
	}
	saved := modtest.SaveWorld(t, h)
	h2 := startest.SimHost(t)
	modtest.LoadWorld(t, h2, saved)
	for _, argv := range [][]string{
		{"qemu-img", "info", "--output=json", "/var/lib/vm.qcow2"},
		{"qemu-img", "info", "--output=json", "--backing-chain", "/var/lib/vm.qcow2"},
		{"qemu-img", "info", "--output=json", "/var/lib/scratch.img"},
		{"qemu-img", "snapshot", "-l", "/var/lib/vm.qcow2"},
		{"qemu-img", "snapshot", "-d", "before", "/var/lib/vm.qcow2"},
		{"qemu-img", "info", "--output=json", "/var/lib/vm.qcow2"},
	} {
		a, b := run(h, argv...), run(h2, argv...)
		if a.Code != b.Code || !bytes.Equal(a.Stdout, b.Stdout) || !bytes.Equal(a.Stderr, b.Stderr) {
			t.Errorf("%v differs after a reload:\nbefore: %d %s%s\nafter:  %d %s%s", argv, a.Code, a.Stdout, a.Stderr, b.Code, b.Stdout, b.Stderr)
		}
	}
	if a, b := modtest.SaveWorld(t, h), modtest.SaveWorld(t, h2); !bytes.Equal(a, b) {
		t.Errorf("the reloaded world saves differently:\n%s\nvs\n%s", a, b)
	}
}
