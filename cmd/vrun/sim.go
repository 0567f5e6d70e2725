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
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/env"
)

// runSim serves a simulator over HTTP until interrupted:
// vrun sim cloudstack --listen ADDR [--api-key K --secret-key S] [--speed N] [--fault SPEC]...
func runSim(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "cloudstack" {
		fmt.Fprintln(stderr, "usage: vrun sim cloudstack --listen ADDR [--api-key K --secret-key S] [--speed N] [--fault SPEC]...")
		return 2
	}
	fs := pflag.NewFlagSet("vrun sim cloudstack", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "address to serve on, e.g. 127.0.0.1:8080")
	key := fs.String("api-key", "", "API key the simulator accepts (default "+csim.DefaultAPIKey+")")
	secret := fs.String("secret-key", "", "secret key the simulator verifies signatures with (default "+csim.DefaultSecretKey+")")
	speed := fs.Float64("speed", interp.DefaultSimSpeed, "how much faster than real time jobs run (a snapshot takes 9.5 simulated minutes)")
	faults := fs.StringArray("fault", nil, "inject a fault, e.g. deployVirtualMachine=fail:533, createSnapshot=stuck, listZones=http:503x2, listZones=slow:2s")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	switch {
	case *listen == "":
		fmt.Fprintln(stderr, "vrun sim cloudstack: --listen ADDR is required")
		return 2
	case (*key == "") != (*secret == ""):
		fmt.Fprintln(stderr, "vrun sim cloudstack: give both --api-key and --secret-key, or neither")
		return 2
	case *speed <= 0:
		fmt.Fprintf(stderr, "vrun sim cloudstack: --speed: got %v, want a positive number\n", *speed)
		return 2
	}
	srv := csim.New(csim.Options{APIKey: *key, SecretKey: *secret, Clock: env.NewScaledClock(time.Now(), *speed)})
	for _, spec := range *faults {
		f, err := csim.ParseFault(spec)
		if err != nil {
			fmt.Fprintf(stderr, "vrun sim cloudstack: --fault: %v\n", err)
			return 2
		}
		srv.AddFault(f)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "vrun sim cloudstack: %v\n", err)
		return 1
	}
	shown := "as given with --secret-key"
	if *secret == "" {
		*key, shown = csim.DefaultAPIKey, csim.DefaultSecretKey+" (the built-in default)"
	}
	fmt.Fprintf(stdout, "CloudStack simulator on http://%s/client/api at %gx speed\napi key %s\nsecret key %s\n", ln.Addr(), *speed, *key, shown)
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
