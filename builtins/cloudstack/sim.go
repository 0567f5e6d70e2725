package cloudstack

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/interp/env"
	"github.com/vrun-dev/vrun/interp/exec"
	"github.com/vrun-dev/vrun/interp/sim"
)

// SimEndpoint is the URL the in-process simulator answers on (no socket).
const SimEndpoint = "http://cloudstack.sim/client/api"

// FaultsEnv names faults the in-process simulator injects, for rehearsing
// failures with `vrun --sim`: comma-separated csim.ParseFault specs such as
// "deployVirtualMachine=fail:533,createSnapshot=stuck".
const FaultsEnv = "VRUN_SIM_CLOUDSTACK_FAULTS"

const simStateKey = "cloudstack.simulator"

// SimServer returns the CloudStack simulator of a simulated host, creating
// it on first use. The host must be locked (sim tools and WithLock are):
// tests seed faults from startest's Setup through it.
func SimServer(h *sim.Host) *csim.Server {
	return h.State(simStateKey, func() any { return csim.New(csim.Options{}) }).(*csim.Server)
}

// Simulator returns the run's simulator: the simulated host's when the run
// has one (so coreos-install on the host writes to the simulated disks),
// on the run's clock, with the faults of $VRUN_SIM_CLOUDSTACK_FAULTS.
func Simulator(e *env.Env) (*csim.Server, error) {
	v, err := e.Shared(simStateKey, func() (any, error) {
		var srv *csim.Server
		if h, ok := sim.Of(e.Target.Exec); ok {
			h.WithLock(func(h *sim.Host) { srv = SimServer(h) })
		} else {
			srv = csim.New(csim.Options{})
		}
		srv.SetClock(e.Clock)
		if spec := os.Getenv(FaultsEnv); spec != "" {
			for _, s := range strings.Split(spec, ",") {
				f, err := csim.ParseFault(s)
				if err != nil {
					return nil, fmt.Errorf("$%s: %v", FaultsEnv, err)
				}
				srv.AddFault(f)
			}
		}
		return srv, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*csim.Server), nil
}

// simClient is a client of the run's in-process simulator.
func simClient(e *env.Env) (*Client, error) {
	srv, err := Simulator(e)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Transport: handlerTransport{srv}}
	return NewClient(SimEndpoint, csim.DefaultAPIKey, csim.DefaultSecretKey, hc, e.Clock), nil
}

// handlerTransport serves requests with an http.Handler in-process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil { // a slow fault outlived request_timeout
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// InstallSim registers the fakes of the module's host commands: the
// coreos-install script of the seed, writing to the simulated disk
// attached to the workstation.
func InstallSim(h *sim.Host) { h.Register("coreos-install", coreosInstall) }

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
	if err := SimServer(h).WriteDisk(csim.Workstation, id, string(cloudConfig)); err != nil {
		return sim.Fail(1, fmt.Sprintf("Error: Target block device (%s) not found.\n", dev))
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
