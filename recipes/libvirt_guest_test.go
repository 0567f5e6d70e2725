package recipes_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// TestLibvirtGuest runs seed 000 then seed 001 in one simulated world:
// the guest runs, and a second run changes nothing.
func TestLibvirtGuest(t *testing.T) {
	h := startest.SimHost(t)
	run := func(recipe string) string {
		var out, errOut bytes.Buffer
		in := interp.MustNew(interp.Options{
			Ctx: context.Background(), Stdout: &out, Stderr: &errOut, SimHost: h,
			Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
		})
		if _, err := in.RunRecipe(recipe, nil); err != nil {
			t.Fatalf("%s failed: %s\nstdout:\n%s\nstderr:\n%s", recipe, interp.Render(err), out.String(), errOut.String())
		}
		return out.String()
	}
	run("sheepdog-volume.star")
	first := run("libvirt-guest.star")
	for _, want := range []string{"created OVS bridge ovsbr0", "defined libvirt network ovsbr0", "defined domain papeete (976563 KiB", "papeete is running; its console: virsh console -- papeete"} {
		if !strings.Contains(first, want) {
			t.Errorf("first run: no %q in\n%s", want, first)
		}
	}
	if second := run("libvirt-guest.star"); !strings.Contains(second, "nothing to change") {
		t.Errorf("second run changed something:\n%s", second)
	}
}

// On the default simulated world (a sheepdog cluster never formatted), the
// recipe formats the new cluster, which holds nothing, and goes on; a
// formatted cluster is left alone (TestLibvirtGuest, after seed 000).
func TestLibvirtGuestOnDefaultWorld(t *testing.T) {
	var out, errOut bytes.Buffer
	in := interp.MustNew(interp.Options{
		Ctx: context.Background(), Stdout: &out, Stderr: &errOut, SimHost: startest.SimHost(t),
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	})
	if _, err := in.RunRecipe("libvirt-guest.star", nil); err != nil {
		t.Fatalf("%s\n%s%s", interp.Render(err), out.String(), errOut.String())
	}
	for _, want := range []string{"formatted the new sheepdog cluster at 127.0.0.1:7000 (copies = 1)", "created VDI papeete of 10G", "papeete is running"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}
