package recipes_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/interp"
)

// The README's example recipe runs on the simulator: the volume it returns
// is attached (Ready, with a device) to the workstation.
func TestScratchVolume(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out strings.Builder
	in := interp.MustNew(interp.Options{Ctx: ctx, Stdout: &out, Stderr: &out, Sim: true,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)})
	res, err := in.RunRecipe("scratch-volume.star", []string{"--gb", "20", "--name", "data3"})
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out.String())
	}
	id, ok := res.(starlark.String)
	if !ok || len(id) != 36 {
		t.Fatalf("result %v, want a volume id", res)
	}
	th := in.Thread("check")
	v, err := starlark.ExecFileOptions(interp.FileOptions(), th, "check.star", `
cs = cloudstack.client()
vol = cs.listVolumes(id = id)["volume"][0]
vm = cs.listVirtualMachines(id = vol["virtualmachineid"])["virtualmachine"][0]
`, starlark.StringDict{"id": id, "cloudstack": in.Predeclared["cloudstack"]})
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	vol := v["vol"].(*starlark.Dict)
	for key, want := range map[string]string{"name": `"data3"`, "state": `"Ready"`, "size": "21474836480"} {
		if got, _, _ := vol.Get(starlark.String(key)); got == nil || got.String() != want {
			t.Errorf("volume %s = %v, want %s", key, got, want)
		}
	}
	vm := v["vm"].(*starlark.Dict)
	if name, _, _ := vm.Get(starlark.String("displayname")); name == nil || name.String() != `"my-workstation"` {
		t.Errorf("attached to %v, want my-workstation", name)
	}
}

func TestScratchVolumeUnknownZone(t *testing.T) {
	in := interp.MustNew(interp.Options{Sim: true, Stdout: &strings.Builder{}, Stderr: &strings.Builder{},
		Clock: env.NewScaledClock(time.Now(), 1e6)})
	_, err := in.RunRecipe("scratch-volume.star", []string{"--zone", "zone9"})
	if err == nil || !strings.Contains(err.Error(), `no zone named "zone9"`) {
		t.Fatalf("err = %v", err)
	}
}

// A volume of that name exists with another size (the workstation's data1):
// the recipe refuses to reuse it rather than attach the wrong disk.
func TestScratchVolumeNameTaken(t *testing.T) {
	in := interp.MustNew(interp.Options{Sim: true, Stdout: &strings.Builder{}, Stderr: &strings.Builder{},
		Clock: env.NewScaledClock(time.Now(), 1e6)})
	_, err := in.RunRecipe("scratch-volume.star", []string{"--name", "data1", "--gb", "20"})
	if err == nil || !strings.Contains(err.Error(), `a volume named "data1"`) || !strings.Contains(err.Error(), "pick another --name") {
		t.Fatalf("err = %v", err)
	}
}
