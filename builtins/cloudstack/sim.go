package cloudstack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/cssim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// SimEndpoint is the URL the in-process simulator answers on (no socket).
const SimEndpoint = "http://cloudstack.sim/client/api"

// FaultsEnv names faults the in-process simulator injects, for rehearsing
// failures with `vrun --sim`: comma-separated csim.ParseFault specs such as
// "deployVirtualMachine=fail:533,createSnapshot=stuck". cmd/vrun reads it
// into the run (env.RunEnv.SimFaults); the module never reads the
// environment for it.
const FaultsEnv = "VRUN_SIM_CLOUDSTACK_FAULTS"

// Simulator returns the run's simulator: the simulated host's when the run
// has one (so coreos-install on the host writes to the simulated disks, and
// --sim-state keeps its world), on the run's clock, with the run's faults.
func Simulator(e *env.Env) (*csim.Server, error) {
	v, err := e.Shared("cloudstack.simulator", func() (any, error) {
		var srv *csim.Server
		if h, ok := sim.Of(e.Target.Exec); ok {
			h.WithLock(func(h *sim.Host) { srv = cssim.Server(h) })
		} else {
			srv = csim.New(csim.Options{})
		}
		srv.SetClock(e.Clock)
		if spec := e.SimFaults; spec != "" {
			for _, s := range strings.Split(spec, ",") {
				f, err := csim.ParseFault(s)
				if err != nil {
					return nil, fmt.Errorf("$%s: %w", FaultsEnv, err)
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
