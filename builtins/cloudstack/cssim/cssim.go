// Package cssim installs the CloudStack module's part of a simulated host:
// the simulator's state in the host's world (slot "cloudstack", saved by
// --sim-state) and the fake of coreos-install, the seed's script that
// writes to the simulated disk attached to the workstation.
package cssim

import (
	"context"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// slot keeps the simulated cloud in the host's world: a fresh one is the
// seed note's (csim.New); its JSON form is csim's.
var slot = sim.Slot[*csim.Server]{Key: "cloudstack", New: func() *csim.Server { return csim.New(csim.Options{}) }}

// Server returns the host's CloudStack simulator; the host must be locked
// (sim tools and WithLock are). Tests seed faults through it.
func Server(h *sim.Host) *csim.Server { return slot.Get(h) }

// Install declares the simulator's slot, seeds the default cloud (so
// `vrun sim world` shows it) with the workstation's disks on the host
// (disks.go) and registers coreos-install.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.WithLock(syncDisks)
	h.BeforeRun(syncDisks)
	h.Register("coreos-install", coreosInstall)
}

// coreosInstall answers `coreos-install -d DEVICE -C CHANNEL -c CLOUD_CONFIG`
// with the script's output, storing the cloud-config on the simulated
// volume attached at DEVICE (sdX/vdX/xvdX: device id X-'a').
func coreosInstall(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	var dev, channel, config string
	channel = "stable"
	a := c.Argv[1:]
	for i := 0; i < len(a); i++ {
		if i+1 >= len(a) && (a[i] == "-d" || a[i] == "-C" || a[i] == "-c") {
			return sim.Fail(1, "coreos-install: option requires an argument -- '"+a[i][1:]+"'\n")
		}
		switch a[i] {
		case "-d":
			i++
			dev = a[i]
		case "-C":
			i++
			channel = a[i]
		case "-c":
			i++
			config = a[i]
		default:
			return sim.Fail(1, fmt.Sprintf("coreos-install: the simulated host supports -d, -C and -c, got %q\n", a[i]))
		}
	}
	if dev == "" {
		return sim.Fail(1, "Error: Provide a -d /dev/device to install to.\n")
	}
	if channel != "stable" && channel != "beta" && channel != "alpha" {
		return sim.Fail(1, fmt.Sprintf("Error: Unknown channel %s, want stable, beta or alpha\n", channel))
	}
	var cloudConfig []byte
	if config != "" {
		data, ok := h.ReadFile(config)
		if !ok {
			return sim.Fail(1, fmt.Sprintf("Error: cloud-config %s not found\n", config))
		}
		cloudConfig = data
	}
	id, ok := deviceID(dev)
	if !ok {
		return sim.Fail(1, fmt.Sprintf("Error: Target block device (%s) not found.\n", dev))
	}
	if err := Server(h).WriteDisk(csim.Workstation, id, string(cloudConfig)); err != nil {
		return sim.Fail(1, fmt.Sprintf("Error: Target block device (%s) not found.\n", dev))
	}
	if d, ok := sim.StorageOf(h).Device(dev); ok {
		d.PTType, d.FS = "gpt", nil // the image's partitions replace whatever was there
	}
	var b strings.Builder
	b.WriteString("Downloading and verifying coreos_production_image.bin.bz2...\n")
	fmt.Fprintf(&b, "Writing coreos_production_image.bin.bz2 to %s...\n", dev)
	b.WriteString("  /tmp/coreos-install.sim/coreos_production_image.bin.bz2: done\n")
	if cloudConfig != nil {
		b.WriteString("Installing cloud-config...\n")
	}
	fmt.Fprintf(&b, "Success! CoreOS %s current is installed on %s\n", channel, dev)
	return sim.OK(b.String())
}

func deviceID(dev string) (int, bool) {
	for _, p := range []string{"/dev/sd", "/dev/vd", "/dev/xvd"} {
		if rest, ok := strings.CutPrefix(dev, p); ok && len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'p' {
			return int(rest[0] - 'a'), true
		}
	}
	return 0, false
}
