package cloudstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
	"github.com/vrun-dev/vrun/builtins/env"
)

// virtualClock advances only when slept on: polling costs no wall time and
// jobs finish exactly when the poller's clock says so.
type virtualClock struct{ t atomic.Int64 }

func newVirtualClock() *virtualClock {
	c := &virtualClock{}
	c.t.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *virtualClock) Now() time.Time { return time.Unix(0, c.t.Load()).UTC() }
func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	c.t.Add(int64(d))
	return ctx.Err()
}

// flaky answers with status for the first n requests, then like the simulator.
func flaky(sim http.Handler, n int32, status int, hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= n {
			w.WriteHeader(status)
			fmt.Fprintln(w, "<html>busy</html>")
			return
		}
		sim.ServeHTTP(w, r)
	})
}

func testClient(t *testing.T, h http.Handler) (*Client, *virtualClock) {
	t.Helper()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	clk := newVirtualClock()
	return NewClient(hs.URL+"/client/api", csim.DefaultAPIKey, csim.DefaultSecretKey, hs.Client(), clk), clk
}

func TestReadsRetriedWritesNot(t *testing.T) {
	ctx := context.Background()
	for _, status := range []int{502, 503, 429} {
		var hits atomic.Int32
		c, _ := testClient(t, flaky(csim.New(csim.Options{}), 2, status, &hits))
		res, err := c.Request(ctx, "listZones", nil)
		if err != nil || res["count"] == nil || hits.Load() != 3 {
			t.Errorf("GET after two %d: err %v, %d requests", status, err, hits.Load())
		}
	}
	var hits atomic.Int32
	c, _ := testClient(t, flaky(csim.New(csim.Options{}), 1, 503, &hits))
	_, err := c.Request(ctx, "createVolume", map[string]string{"name": "x"})
	if err == nil || hits.Load() != 1 || !strings.Contains(err.Error(), "HTTP 503 Service Unavailable: <html>busy</html>") {
		t.Errorf("POST after a 503: err %v, %d requests (want 1)", err, hits.Load())
	}
}

func TestPostRetriedWhenNeverSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused
	c := NewClient("http://"+addr+"/client/api", "k", "s", &http.Client{}, newVirtualClock())
	var calls []string
	c.Tracef = func(f string, a ...any) { calls = append(calls, fmt.Sprintf(f, a...)) }
	_, err = c.Request(context.Background(), "createVolume", nil)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "signature") {
		t.Errorf("error: %v", err)
	}
	if n := strings.Count(strings.Join(calls, "\n"), "retry"); n != 4 {
		t.Errorf("refused POST retried %d times, want 4:\n%s", n, strings.Join(calls, "\n"))
	}
}

func TestAPIErrorText(t *testing.T) {
	c, _ := testClient(t, csim.New(csim.Options{}))
	_, err := c.Request(context.Background(), "createVolume", map[string]string{"diskofferingid": "nope"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 431 || ae.CSCode != 4350 ||
		!strings.HasPrefix(err.Error(), "431 (4350) Unable to execute API command createvolume due to invalid value") {
		t.Errorf("got %v", err)
	}
}

func TestWaitOutcomes(t *testing.T) {
	ctx := context.Background()
	srv := csim.New(csim.Options{})
	c, clk := testClient(t, srv)
	srv.SetClock(clk)
	ws := func() string {
		l, _ := c.ListAll(ctx, "listVirtualMachines", nil)
		return l[0].(map[string]any)["templateid"].(string)
	}()
	zones, _ := c.ListAll(ctx, "listZones", nil)
	svc, _ := c.ListAll(ctx, "listServiceOfferings", nil)
	deploy := map[string]string{"zoneid": zones[0].(map[string]any)["id"].(string), "templateid": ws,
		"serviceofferingid": svc[0].(map[string]any)["id"].(string)}
	start := func() string {
		res, err := c.Request(ctx, "deployVirtualMachine", deploy)
		if err != nil {
			t.Fatal(err)
		}
		return res["jobid"].(string)
	}
	srv.AddFault(csim.Fault{Command: "deployVirtualMachine", Kind: csim.FaultJobFail, Code: 533, Count: 1})
	id := start()
	_, err := c.Wait(ctx, id, "deployVirtualMachine", 0)
	var je *JobError
	if !errors.As(err, &je) || je.ErrorCode != 533 || je.ResultCode != 533 ||
		!strings.Contains(err.Error(), "job "+id+" (deployVirtualMachine) failed: jobresultcode 533, errorcode 533: Unable to create a deployment for VM[User|") {
		t.Errorf("failed job: %v", err)
	}
	srv.AddFault(csim.Fault{Command: "deployVirtualMachine", Kind: csim.FaultJobCancel, Count: 1})
	before := clk.Now()
	_, err = c.Wait(ctx, start(), "deployVirtualMachine", 0)
	if !errors.As(err, &je) || je.Status != 2 || !je.NoResult || !strings.Contains(err.Error(), "failed with jobresultcode 0 and no jobresult: CloudStack ends a job so when it cancels it for blocking others for too long") ||
		clk.Now().Sub(before) > 3*time.Minute {
		t.Errorf("cancelled job: %v (waited %s)", err, clk.Now().Sub(before))
	}
	srv.AddFault(csim.Fault{Command: "deployVirtualMachine", Kind: csim.FaultJobStuck, Count: 1})
	id = start()
	_, err = c.Wait(ctx, id, "deployVirtualMachine", 5*time.Minute)
	var te *TimeoutError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), fmt.Sprintf("re-attach with cs.wait(%q)", id)) {
		t.Errorf("stuck job: %v", err)
	}
	res, err := c.Wait(ctx, start(), "deployVirtualMachine", 0)
	if err != nil || res["virtualmachine"].(map[string]any)["state"] != "Running" {
		t.Errorf("good job: %v %v", res, err)
	}
}

// -v traces name the call and parameters but never the secret, the
// signature or the string it is computed from.
func TestTraceHidesSecrets(t *testing.T) {
	c, _ := testClient(t, csim.New(csim.Options{}))
	var out strings.Builder
	c.Tracef = func(f string, a ...any) { fmt.Fprintf(&out, f+"\n", a...) }
	c.Request(context.Background(), "listZones", map[string]string{"name": "zone1"})
	c.Request(context.Background(), "createUser", map[string]string{"password": "hunter2"})
	got := out.String()
	p := map[string]string{"apiKey": csim.DefaultAPIKey, "command": "listZones", "response": "json", "name": "zone1"}
	for _, secret := range []string{csim.DefaultSecretKey, csim.DefaultAPIKey, signing.Sign(p, csim.DefaultSecretKey), "signature", "hunter2"} {
		if strings.Contains(got, secret) {
			t.Errorf("trace shows %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `cloudstack GET listZones name="zone1" (apikey vrun…-key)`) {
		t.Errorf("trace: %s", got)
	}
}

func TestCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"CLOUDSTACK_API_URL", "CLOUDSTACK_API_KEY", "CLOUDSTACK_SECRET_KEY"} {
		t.Setenv(v, "")
	}
	if _, ok, err := resolveCreds(credArgs{}, true); ok || err != nil {
		t.Errorf("nothing configured under --sim: ok %v err %v, want the simulator", ok, err)
	}
	if _, _, err := resolveCreds(credArgs{}, false); err == nil || !strings.Contains(err.Error(), "no CloudStack credentials") {
		t.Errorf("nothing configured: %v", err)
	}
	if _, _, err := resolveCreds(credArgs{URL: "http://x"}, false); err == nil || err.Error() != "incomplete CloudStack credentials from arguments: missing the API key and the secret key "+
		"(give them as arguments, CLOUDSTACK_API_URL/CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY, or a ~/.cmk/config profile)" {
		t.Errorf("incomplete: %v", err)
	}
	os.MkdirAll(filepath.Join(home, ".cmk"), 0o700)
	cfg := "prompt = 🐵\nasyncblock = true\nprofile = prod\n\n[localcloud]\nurl = http://localhost:8080/client/api\nusername = admin\npassword = password\n\n" +
		"[prod]\nurl = https://cloud.example.com/client/api\napikey = PK\nsecretkey = PS\n"
	os.WriteFile(filepath.Join(home, ".cmk", "config"), []byte(cfg), 0o600)
	c, ok, err := resolveCreds(credArgs{}, false)
	if !ok || err != nil || c.URL != "https://cloud.example.com/client/api" || c.APIKey != "PK" || c.Secret != "PS" {
		t.Errorf("default profile: %+v %v %v", c, ok, err)
	}
	if _, ok, _ := resolveCreds(credArgs{}, true); ok {
		t.Error("--sim read ~/.cmk/config without a profile being named")
	}
	if _, _, err := resolveCreds(credArgs{Profile: "localcloud"}, false); err == nil || !strings.Contains(err.Error(), "has no apikey and secretkey") {
		t.Errorf("password-only profile: %v", err)
	}
	if _, _, err := resolveCreds(credArgs{Profile: "nope"}, false); err == nil || !strings.Contains(err.Error(), "no profile [nope]") {
		t.Errorf("unknown profile: %v", err)
	}
	t.Setenv("CLOUDSTACK_API_URL", "http://env/client/api")
	t.Setenv("CLOUDSTACK_API_KEY", "EK")
	t.Setenv("CLOUDSTACK_SECRET_KEY", "ES")
	c, _, _ = resolveCreds(credArgs{APIKey: "AK"}, false)
	if c.URL != "http://env/client/api" || c.APIKey != "AK" || c.Secret != "ES" {
		t.Errorf("arguments over environment: %+v", c)
	}
	if strings.Contains(fmt.Sprint(&clientValue{desc: c.URL}), "ES") {
		t.Error("client value prints the secret")
	}
}

func TestParams(t *testing.T) {
	details := starlark.NewDict(2)
	details.SetKey(starlark.String("memory"), starlark.String("640k"))
	details.SetKey(starlark.String("cpunumber"), starlark.MakeInt(1000))
	tag := starlark.NewDict(2)
	tag.SetKey(starlark.String("key"), starlark.String("env"))
	tag.SetKey(starlark.String("value"), starlark.String("prod"))
	kw := []starlark.Tuple{
		{starlark.String("listall"), starlark.True},
		{starlark.String("size"), starlark.MakeInt(40)},
		{starlark.String("ids"), starlark.NewList([]starlark.Value{starlark.String("a"), starlark.String("b")})},
		{starlark.String("details"), details},
		{starlark.String("tags"), starlark.NewList([]starlark.Value{tag})},
		{starlark.String("skip"), starlark.None},
	}
	p, err := toParams(kw)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"listall": "true", "size": "40", "ids": "a,b", "details[0].memory": "640k",
		"details[0].cpunumber": "1000", "tags[0].key": "env", "tags[0].value": "prod"}
	if fmt.Sprint(p) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", p, want)
	}
	// Vector H of the notes, through the conversion.
	p["apiKey"], p["command"], p["id"], p["response"] = "foo", "scaleVirtualMachine", "a", "json"
	for _, k := range []string{"listall", "size", "ids", "tags[0].key", "tags[0].value"} {
		delete(p, k)
	}
	if got := signing.Sign(p, "bar"); got != "ZNl66z3gFhnsx2Eo3vvCIM0kAgI=" {
		t.Errorf("map parameters sign as %s", got)
	}
	if _, err := toParams([]starlark.Tuple{{starlark.String("f"), starlark.NewBuiltin("f", nil)}}); err == nil ||
		err.Error() != "parameter f: got builtin_function_or_method, want string, int, float, bool, list or dict" {
		t.Errorf("bad value: %v", err)
	}
}

func TestListKey(t *testing.T) {
	for api, want := range map[string]string{"listZones": "zone", "listOsTypes": "ostype", "listAsyncJobs": "asyncjobs",
		"listPublicIpAddresses": "publicipaddress", "listVirtualMachines": "virtualmachine", "listApis": "api"} {
		if got := listKey(api); got != want {
			t.Errorf("listKey(%s) = %s, want %s", api, got, want)
		}
	}
}

var _ env.Clock = (*virtualClock)(nil)

// The client signs expires on the real clock whatever its job clock (here
// a virtual one far from now), and the server judges it on its wall clock.
func TestSignatureVersion3Client(t *testing.T) {
	srv := csim.New(csim.Options{})
	c, clk := testClient(t, srv)
	srv.SetClock(clk)
	if _, err := c.Request(context.Background(), "listZones", nil); err != nil {
		t.Errorf("v3 request: %v", err)
	}
	// A client whose wall clock is an hour behind sends expired requests.
	c.Wall = func() time.Time { return time.Now().Add(-time.Hour) }
	_, err := c.Request(context.Background(), "listZones", nil)
	if err == nil || err.Error() != "401 unable to verify user credentials and/or request signature" {
		t.Errorf("expired v3 request: %v, want a bare 401 (no cserrorcode, no \"(0)\")", err)
	}
}

func TestProgressLine(t *testing.T) {
	srv := csim.New(csim.Options{})
	c, clk := testClient(t, srv)
	srv.SetClock(clk)
	var lines []string
	c.Progress = func(l string) { lines = append(lines, l) }
	srv.AddFault(csim.Fault{Command: "createSnapshot", Kind: csim.FaultJobStuck})
	vols, _ := c.ListAll(context.Background(), "listVolumes", map[string]string{"name": "data1"})
	res, err := c.Request(context.Background(), "createSnapshot", map[string]string{"volumeid": vols[0].(map[string]any)["id"].(string)})
	if err != nil {
		t.Fatal(err)
	}
	c.Wait(context.Background(), res["jobid"].(string), "createSnapshot", time.Minute)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "cloudstack: waiting for createSnapshot (job "+res["jobid"].(string)+")") || lines[len(lines)-1] != "" {
		t.Errorf("progress lines: %q", lines)
	}
}

func TestInterruptedWaitNamesJob(t *testing.T) {
	srv := csim.New(csim.Options{})
	c, clk := testClient(t, srv)
	srv.SetClock(clk)
	srv.AddFault(csim.Fault{Command: "createSnapshot", Kind: csim.FaultJobStuck})
	vols, _ := c.ListAll(context.Background(), "listVolumes", map[string]string{"name": "data1"})
	res, err := c.Request(context.Background(), "createSnapshot", map[string]string{"volumeid": vols[0].(map[string]any)["id"].(string)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	id := res["jobid"].(string)
	_, err = c.Wait(ctx, id, "createSnapshot", 0)
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "context canceled") || !strings.Contains(err.Error(), fmt.Sprintf("re-attach with cs.wait(%q)", id)) {
		t.Errorf("interrupted wait: %v", err)
	}
}

func TestAttrNamesCachedWithFallback(t *testing.T) {
	var hits atomic.Int32
	sim := csim.New(csim.Options{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		sim.ServeHTTP(w, r)
	})
	hs := httptest.NewServer(h)
	defer hs.Close()
	e := env.New(context.Background(), nil)
	// A wrong secret: listApis answers 401, completion falls back to the known names.
	bad := &clientValue{c: NewClient(hs.URL, csim.DefaultAPIKey, "wrong", hs.Client(), newVirtualClock()), e: e}
	names := bad.AttrNames()
	if !contains(names, "deployVirtualMachine") || !contains(names, "wait") || !contains(names, "startVirtualMachine") {
		t.Errorf("fallback names: %v", names)
	}
	good := &clientValue{c: NewClient(hs.URL+"/client/api", csim.DefaultAPIKey, csim.DefaultSecretKey, hs.Client(), newVirtualClock()), e: e}
	before := hits.Load()
	names = good.AttrNames()
	good.AttrNames()
	if hits.Load()-before != 1 || contains(names, "startVirtualMachine") || !contains(names, "listApis") {
		t.Errorf("listApis names (%d requests for two calls): %v", hits.Load()-before, names)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
