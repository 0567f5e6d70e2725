package cloudstack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/modtest"
)

// runStar runs src with the cloudstack module in e and returns the error.
func runStar(t *testing.T, e *env.Env, src string) error {
	t.Helper()
	_, err := modtest.ExecEnv(t, e, src, Module())
	return err
}

// counting is a listening CloudStack endpoint (the simulator with the
// given keys) that counts what reaches it.
func counting(t *testing.T, key, secret string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	sim := csim.New(csim.Options{APIKey: key, SecretKey: secret})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs, &hits
}

// Under --sim no client reaches a configured endpoint, whether it comes
// from CLOUDSTACK_*, arguments or a named ~/.cmk/config profile (issue 9:
// `vrun --sim recipes/scratch-volume.star` created a volume on a real
// server). -v names the endpoint each client uses, never the secret.
func TestSimNeverReachesConfiguredEndpoint(t *testing.T) {
	hs, hits := counting(t, "REALKEY-0123456789", "REALSECRET-xyz")
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLOUDSTACK_API_URL", hs.URL+"/client/api")
	t.Setenv("CLOUDSTACK_API_KEY", "REALKEY-0123456789")
	t.Setenv("CLOUDSTACK_SECRET_KEY", "REALSECRET-xyz")
	os.MkdirAll(filepath.Join(home, ".cmk"), 0o700)
	os.WriteFile(filepath.Join(home, ".cmk", "config"), []byte(fmt.Sprintf(
		"profile = prod\n[prod]\nurl = %s/client/api\napikey = REALKEY-0123456789\nsecretkey = REALSECRET-xyz\n", hs.URL)), 0o600)
	for _, client := range []string{
		"cloudstack.client()",
		fmt.Sprintf("cloudstack.client(url = %q, api_key = 'REALKEY-0123456789', secret_key = 'REALSECRET-xyz')", hs.URL+"/client/api"),
		"cloudstack.client(profile = 'prod')",
	} {
		var stderr strings.Builder
		e := &env.Env{RunEnv: &env.RunEnv{Sim: true, Verbose: true, Stderr: &stderr, Stdout: &stderr, Clock: newVirtualClock(), HTTP: hs.Client()}, Target: env.NewTarget("local", nil)}
		src := "cs = " + client + `
if cs.listZones()["count"] != 2: fail("not the simulator's zones")
z = cs.list("listZones")[0]["id"]
o = cs.list("listDiskOfferings")[0]["id"]
cs.createVolume(name = "x", diskofferingid = o, size = 1, zoneid = z)
if str(cs) != "<cloudstack.client simulator>": fail(str(cs))
`
		if err := runStar(t, e, src); err != nil {
			t.Errorf("%s: %v", client, err)
		}
		if n := hits.Load(); n != 0 {
			t.Fatalf("%s under --sim sent %d requests to the configured endpoint", client, n)
		}
		want := "+ cloudstack: client uses the simulator http://cloudstack.sim/client/api (--sim), not " + hs.URL + "/client/api from "
		if !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "REALSECRET") {
			t.Errorf("%s: -v trace:\n%s\nwant %q and no secret", client, stderr.String(), want)
		}
	}
}

// A real run traces the endpoint it uses, without userinfo or secret, and
// warns that the fault variable does nothing outside --sim.
func TestRealClientTracesEndpoint(t *testing.T) {
	hs, hits := counting(t, "REALKEY-0123456789", "REALSECRET-xyz")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("CLOUDSTACK_API_URL", strings.Replace(hs.URL, "http://", "http://admin:hunter2@", 1)+"/client/api")
	t.Setenv("CLOUDSTACK_API_KEY", "REALKEY-0123456789")
	t.Setenv("CLOUDSTACK_SECRET_KEY", "REALSECRET-xyz")
	var stderr strings.Builder
	e := &env.Env{RunEnv: &env.RunEnv{Verbose: true, Stderr: &stderr, Stdout: &stderr, Clock: newVirtualClock(), HTTP: hs.Client(),
		SimFaults: "listZones=http:503"}, Target: env.NewTarget("local", nil)}
	err := runStar(t, e, `
cs = cloudstack.client()
if cs.listZones()["count"] != 2: fail("zones")
if str(cs) != "<cloudstack.client `+hs.URL+`/client/api>": fail(str(cs))
`)
	if err != nil || hits.Load() != 1 {
		t.Fatalf("err %v, %d requests", err, hits.Load())
	}
	out := stderr.String()
	for _, want := range []string{
		"+ cloudstack: client uses " + hs.URL + "/client/api (credentials from arguments and CLOUDSTACK_* environment variables, api key REAL…6789)",
		"cloudstack: $VRUN_SIM_CLOUDSTACK_FAULTS is set but this is not a --sim run: no faults are injected, calls go to " + hs.URL + "/client/api",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr:\n%s\nwant %q", out, want)
		}
	}
	for _, secret := range []string{"REALSECRET", "hunter2", "REALKEY-0123456789"} {
		if strings.Contains(out, secret) {
			t.Errorf("stderr shows %s:\n%s", secret, out)
		}
	}
}

// A bad fault spec fails the first client of a --sim run.
func TestFaultsEnvChecked(t *testing.T) {
	e := &env.Env{RunEnv: &env.RunEnv{Sim: true, Stderr: &strings.Builder{}, Clock: newVirtualClock(),
		SimFaults: "deployVirtualMachine=fail:533,nosuchapi=fail:533"}, Target: env.NewTarget("local", nil)}
	err := runStar(t, e, "cloudstack.client()")
	if err == nil || !strings.Contains(err.Error(), `cloudstack.client: $VRUN_SIM_CLOUDSTACK_FAULTS: invalid fault "nosuchapi=fail:533": the simulator has no API "nosuchapi"`) {
		t.Errorf("got %v", err)
	}
}

// A real client whose URL carries its secret key (a cloudmonkey profile's
// url may) shows neither the key nor the query; making it sends nothing.
func TestRealClientHidesSecretInURL(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	e := &env.Env{RunEnv: &env.RunEnv{Stderr: &strings.Builder{}, Clock: newVirtualClock()}, Target: env.NewTarget("local", nil)}
	err := runStar(t, e, `
shown = str(cloudstack.client(url = "http://cloud.example.com/S3cr3t+K3y/client/api?k=S3cr3t%2BK3y#S3cr3t+K3y", api_key = "k", secret_key = "S3cr3t+K3y"))
if shown != "<cloudstack.client http://cloud.example.com/<redacted>/client/api>": fail(shown)
`)
	if err != nil {
		t.Fatal(err)
	}
}

// The faults come from the run, never from the module reading the
// environment itself: a run whose options carry none injects none, even
// with the variable set (cmd/vrun is the one place that reads it).
func TestFaultsComeFromTheRun(t *testing.T) {
	t.Setenv(FaultsEnv, "listZones=http:503")
	e := &env.Env{RunEnv: &env.RunEnv{Sim: true, Stderr: &strings.Builder{}, Clock: newVirtualClock()}, Target: env.NewTarget("local", nil)}
	if err := runStar(t, e, `if cloudstack.client().listZones()["count"] != 2: fail("zones")`); err != nil {
		t.Fatalf("a fault from the environment reached the simulator: %v", err)
	}
	e = &env.Env{RunEnv: &env.RunEnv{Sim: true, Stderr: &strings.Builder{}, Clock: newVirtualClock(), SimFaults: "listZones=http:503"}, Target: env.NewTarget("local", nil)}
	err := runStar(t, e, `cloudstack.client().listZones()`)
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("the run's fault was not injected: %v", err)
	}
}
