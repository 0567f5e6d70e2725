package cloudstack_test

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/cssim"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp/startest"
)

// Each fault file runs in a world whose simulator has the faults given here.
func TestFaultFiles(t *testing.T) {
	for file, faults := range map[string][]string{
		"deploy_fails.star": {"deployVirtualMachine=fail:533"},
		"cancelled.star":    {"createSnapshot=cancel"},
		"stuck.star":        {"createSnapshot=stuck"},
		"http.star":         {"listZones=http:503x2", "createVolume=http:503"},
		"slow.star":         {"listZones=slow:20ms"},
		"not_ready.star":    {"createSnapshot=stuckx1", "createTemplate=stuck"},
	} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			startest.RunFile(t, "testdata/faults/"+file, startest.Options{Setup: func(h *sim.Host) {
				for _, spec := range faults {
					f, err := csim.ParseFault(spec)
					if err != nil {
						t.Fatal(err)
					}
					cssim.Server(h).AddFault(f)
				}
			}})
		})
	}
}
