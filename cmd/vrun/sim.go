package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/interp"
)

// simConfig is what `vrun sim cloudstack` was asked to serve.
type simConfig struct {
	listen, key, secret, shown string // shown: how the secret key is reported
	speed                      float64
	faults                     []csim.Fault
}

// parseSimArgs reads the flags; the keys may also come from
// CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY (lookup), so a secret need not
// appear in the process list. ok = false: the error is on stderr.
func parseSimArgs(args []string, lookup func(string) string, stderr io.Writer) (simConfig, bool) {
	fs := pflag.NewFlagSet("vrun sim cloudstack", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "address to serve on, e.g. 127.0.0.1:8080")
	key := fs.String("api-key", "", "API key the simulator accepts (else $CLOUDSTACK_API_KEY, else "+csim.DefaultAPIKey+")")
	secret := fs.String("secret-key", "", "secret key the simulator verifies signatures with (else $CLOUDSTACK_SECRET_KEY, which keeps it out of the process list, else "+csim.DefaultSecretKey+")")
	speed := fs.Float64("speed", interp.DefaultSimSpeed, "how much faster than real time jobs run (a snapshot takes 9.5 simulated minutes)")
	faults := fs.StringArray("fault", nil, "inject a fault, e.g. deployVirtualMachine=fail:533, createSnapshot=stuck, listZones=http:503x2, listZones=slow:2s")
	if err := fs.Parse(args); err != nil {
		return simConfig{}, false
	}
	fail := func(format string, a ...any) (simConfig, bool) {
		fmt.Fprintf(stderr, "vrun sim cloudstack: "+format+"\n", a...)
		return simConfig{}, false
	}
	for _, f := range []string{"api-key", "secret-key"} {
		if fs.Changed(f) && fs.Lookup(f).Value.String() == "" {
			return fail("--%s is empty: give a key, or leave the flag out", f)
		}
	}
	c := simConfig{listen: *listen, key: *key, secret: *secret, speed: *speed, shown: "as given with --secret-key"}
	if c.key == "" {
		c.key = lookup("CLOUDSTACK_API_KEY")
	}
	if c.secret == "" {
		c.secret, c.shown = lookup("CLOUDSTACK_SECRET_KEY"), "from $CLOUDSTACK_SECRET_KEY"
	}
	switch {
	case c.listen == "":
		return fail("--listen ADDR is required")
	case (c.key == "") != (c.secret == ""):
		return fail("give both the API key and the secret key (--api-key/--secret-key or CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY), or neither")
	}
	if err := checkSimSpeed("--speed", c.speed); err != nil {
		return fail("%v", err)
	}
	if c.secret == "" {
		c.key, c.secret, c.shown = csim.DefaultAPIKey, csim.DefaultSecretKey, csim.DefaultSecretKey+" (the built-in default)"
	}
	for _, spec := range *faults {
		f, err := csim.ParseFault(spec)
		if err != nil {
			return fail("--fault: %v", err)
		}
		c.faults = append(c.faults, f)
	}
	return c, true
}

// newSimServer is the simulator `vrun sim cloudstack` serves: jobs on a
// clock cfg.speed times faster than real time, what clients see on the
// wall clock.
func newSimServer(cfg simConfig) *csim.Server {
	srv := csim.New(csim.Options{APIKey: cfg.key, SecretKey: cfg.secret, Clock: env.NewScaledClock(time.Now(), cfg.speed)})
	for _, f := range cfg.faults {
		srv.AddFault(f)
	}
	return srv
}

// runSim serves a simulator over HTTP until interrupted:
// vrun sim cloudstack --listen ADDR [--api-key K --secret-key S] [--speed N] [--fault SPEC]...
func runSim(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "world" {
		return runSimWorld(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "cloudstack" {
		fmt.Fprintln(stderr, "usage: vrun sim cloudstack --listen ADDR [--api-key K --secret-key S] [--speed N] [--fault SPEC]...\n       vrun sim world [--sim-state FILE]")
		return 2
	}
	cfg, ok := parseSimArgs(args[1:], os.Getenv, stderr)
	if !ok {
		return 2
	}
	srv := newSimServer(cfg)
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintf(stderr, "vrun sim cloudstack: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "CloudStack simulator on http://%s/client/api at %gx speed\napi key %s\nsecret key %s\n", ln.Addr(), cfg.speed, cfg.key, cfg.shown)
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "vrun sim cloudstack: %v\n", err)
		return 1
	}
	return 0
}
