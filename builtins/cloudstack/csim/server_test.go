package csim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// fakeClock is a settable simulated clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func newTestServer(t *testing.T) (*Server, *httptest.Server, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	// One fake clock for jobs and for what clients see: tests of the
	// two clocks apart build their own (TestWallClockForClients).
	s := New(Options{APIKey: "key", SecretKey: "secret", Clock: clk, Wall: clk})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs, clk
}

// call sends a signed GET (or POST) and returns the status and the inner
// object of the response.
func call(t *testing.T, hs *httptest.Server, method, secret string, p map[string]string) (int, map[string]any) {
	t.Helper()
	q := url.Values{}
	all := map[string]string{"apiKey": "key", "response": "json"}
	for k, v := range p {
		all[k] = v
	}
	for k, v := range all {
		q.Set(k, v)
	}
	q.Set("signature", signing.Sign(all, secret))
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = http.PostForm(hs.URL+"/client/api", q)
	} else {
		resp, err = http.Get(hs.URL + "/client/api?" + q.Encode())
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var outer map[string]map[string]any
	if err := json.Unmarshal(data, &outer); err != nil {
		return resp.StatusCode, map[string]any{"raw": string(data)}
	}
	want := strings.ToLower(p["command"]) + "response"
	if inner, ok := outer[want]; ok {
		return resp.StatusCode, inner
	}
	return resp.StatusCode, outer["errorresponse"]
}

func TestRejectsBadSignature(t *testing.T) {
	_, hs, _ := newTestServer(t)
	code, body := call(t, hs, "GET", "wrong-secret", map[string]string{"command": "listZones"})
	if code != 401 || body["errortext"] != "unable to verify user credentials and/or request signature" || body["errorcode"] != float64(401) {
		t.Errorf("bad signature: got %d %v", code, body)
	}
	code, body = call(t, hs, "GET", "secret", map[string]string{"command": "listZones", "name": "a b*c~d é"})
	if code != 200 {
		t.Errorf("good signature with space, *, ~ and UTF-8: got %d %v", code, body)
	}
	code, _ = call(t, hs, "POST", "secret", map[string]string{"command": "listZones", "name": "a b*c~d é"})
	if code != 200 {
		t.Errorf("POST form: got %d", code)
	}
}

func TestSignatureVersion3(t *testing.T) {
	_, hs, clk := newTestServer(t)
	p := map[string]string{"command": "listZones", "signatureversion": "3", "expires": signing.Expires(clk.t.Add(time.Minute))}
	if code, body := call(t, hs, "GET", "secret", p); code != 200 {
		t.Errorf("valid expires: got %d %v", code, body)
	}
	p["expires"] = signing.Expires(clk.t.Add(-time.Minute))
	if code, _ := call(t, hs, "GET", "secret", p); code != 401 {
		t.Errorf("expired request: got %d, want 401", code)
	}
}

func TestErrorShapes(t *testing.T) {
	_, hs, _ := newTestServer(t)
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "noSuchCommand"})
	if code != 401 || body["errortext"] != "unable to verify user credentials and/or request signature" || body["cserrorcode"] != nil {
		t.Errorf("unknown command: %d %v, want the generic 401 without cserrorcode", code, body)
	}
	code, body = call(t, hs, "GET", "secret", map[string]string{"command": "listTemplates"})
	if code != 431 || body["errortext"] != "Unable to execute API command listtemplates due to missing parameter templatefilter" {
		t.Errorf("missing parameter: %d %v", code, body)
	}
	code, body = call(t, hs, "GET", "secret", map[string]string{"command": "listZones", "pagesize": "1"})
	if code != 431 || !strings.Contains(body["errortext"].(string), `"page" parameter is required`) {
		t.Errorf("pagesize without page: %d %v", code, body)
	}
	code, body = call(t, hs, "GET", "secret", map[string]string{"command": "listVolumes", "name": "nothing"})
	if code != 200 || len(body) != 0 {
		t.Errorf("empty list: got %d %v, want {}", code, body)
	}
}

// listApis must carry what cloudmonkey's sync reads: name, isasync,
// description, params and response.
func TestListApisForCloudmonkey(t *testing.T) {
	_, hs, _ := newTestServer(t)
	_, body := call(t, hs, "GET", "secret", map[string]string{"command": "listApis", "listall": "true"})
	apis := body["api"].([]any)
	async := map[string]bool{}
	for _, a := range apis {
		m := a.(map[string]any)
		for _, k := range []string{"name", "isasync", "description", "params", "response"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%v lacks %s", m["name"], k)
			}
		}
		async[m["name"].(string)] = m["isasync"].(bool)
	}
	for name, want := range map[string]bool{"createSnapshot": true, "deployVirtualMachine": true, "listZones": false, "deleteVolume": false, "queryAsyncJobResult": false} {
		if async[name] != want {
			t.Errorf("%s isasync = %v, want %v", name, async[name], want)
		}
	}
}

func TestAsyncJobOnClock(t *testing.T) {
	s, hs, clk := newTestServer(t)
	zone := s.w.zones[0].id
	off := s.w.diskOffers[0].id
	_, body := call(t, hs, "POST", "secret", map[string]string{"command": "createVolume", "name": "v", "diskofferingid": off, "size": "40", "zoneid": zone})
	jobID, volID := body["jobid"].(string), body["id"].(string)
	if jobID == "" || volID == "" {
		t.Fatalf("create-style answer lacks id or jobid: %v", body)
	}
	_, job := call(t, hs, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": jobID})
	if job["jobstatus"] != float64(0) || job["jobresult"] != nil || job["completed"] != nil {
		t.Errorf("job before its time: %v", job)
	}
	clk.t = clk.t.Add(2 * time.Second)
	_, job = call(t, hs, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": jobID})
	res, _ := job["jobresult"].(map[string]any)
	vol, _ := res["volume"].(map[string]any)
	if job["jobstatus"] != float64(1) || vol["state"] != "Allocated" || vol["size"] != float64(40<<30) || job["jobinstancetype"] != "Volume" {
		t.Errorf("finished job: %v", job)
	}
	_, jobs := call(t, hs, "GET", "secret", map[string]string{"command": "listAsyncJobs"})
	if jobs["count"] != float64(1) {
		t.Errorf("listAsyncJobs: %v", jobs)
	}
}

func TestSnapshotStates(t *testing.T) {
	s, hs, clk := newTestServer(t)
	data := s.w.volumes[1] // a Ready data disk of the workstation
	_, body := call(t, hs, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": data.id})
	snapID := body["id"].(string)
	state := func() string {
		_, l := call(t, hs, "GET", "secret", map[string]string{"command": "listSnapshots", "id": snapID})
		return l["snapshot"].([]any)[0].(map[string]any)["state"].(string)
	}
	var seen []string
	for _, at := range []time.Duration{0, 10 * time.Second, 60 * time.Second, 569 * time.Second, 570 * time.Second} {
		clk.t = clk.t.Add(at - sinceStart(s, snapID, clk))
		seen = append(seen, state())
	}
	want := "Allocated Creating BackingUp BackingUp BackedUp"
	if got := strings.Join(seen, " "); got != want {
		t.Errorf("snapshot states: got %s, want %s", got, want)
	}
	// A second snapshot of the volume while one runs is refused.
	_, body = call(t, hs, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": data.id})
	if body["jobid"] == nil {
		t.Errorf("snapshot after the first finished: %v", body)
	}
	code, _ := call(t, hs, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": data.id})
	if code != 536 {
		t.Errorf("snapshot while one runs: got %d, want 536", code)
	}
}

func sinceStart(s *Server, snapID string, clk *fakeClock) time.Duration {
	return clk.t.Sub(s.w.snapshot(snapID).created)
}

func TestFaults(t *testing.T) {
	s, hs, clk := newTestServer(t)
	s.AddFault(Fault{Command: "listZones", Kind: FaultHTTP, Code: 503, Count: 1})
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "listZones"})
	if code != 503 || !strings.Contains(body["raw"].(string), "503 Service Unavailable") {
		t.Errorf("http fault: %d %v", code, body)
	}
	if code, _ := call(t, hs, "GET", "secret", map[string]string{"command": "listZones"}); code != 200 {
		t.Errorf("after a 1-count fault: got %d", code)
	}
	tpl := s.w.templates[0]
	dep := map[string]string{"command": "deployVirtualMachine", "zoneid": s.w.zones[0].id, "templateid": tpl.id, "serviceofferingid": s.w.svcOffers[0].id}
	for _, f := range []string{"deployVirtualMachine=fail:533x1", "deployVirtualMachine=cancelx1", "deployVirtualMachine=stuckx1"} {
		fault, err := ParseFault(f)
		if err != nil {
			t.Fatal(err)
		}
		s.AddFault(fault)
		_, body := call(t, hs, "POST", "secret", dep)
		clk.t = clk.t.Add(time.Hour)
		_, job := call(t, hs, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": body["jobid"].(string)})
		res, _ := job["jobresult"].(map[string]any)
		switch fault.Kind {
		case FaultJobFail:
			// ApiAsyncJobDispatcher: jobresultcode is the errorcode, the
			// result an ExceptionResponse.
			if job["jobstatus"] != float64(2) || job["jobresultcode"] != float64(533) || res["errorcode"] != float64(533) ||
				!strings.HasPrefix(res["errortext"].(string), "Unable to create a deployment for VM[User|") {
				t.Errorf("failed job: %v", job)
			}
			if l, ok := res["uuidList"].([]any); !ok || len(l) != 0 || res["cserrorcode"] != nil {
				t.Errorf("failed job's result: %v, want uuidList [] and no cserrorcode", res)
			}
			_, vms := call(t, hs, "GET", "secret", map[string]string{"command": "listVirtualMachines", "id": body["id"].(string)})
			if st := vms["virtualmachine"].([]any)[0].(map[string]any)["state"]; st != "Error" {
				t.Errorf("VM of a failed deploy is %v, want Error", st)
			}
		case FaultJobCancel:
			// "blocking others too long": a failure with resultcode 0 and
			// a bare-text result queryAsyncJobResult cannot render.
			if job["jobstatus"] != float64(2) || job["jobresultcode"] != float64(0) || job["jobresult"] != nil || job["completed"] == nil {
				t.Errorf("cancelled job: %v, want jobstatus 2, jobresultcode 0, no jobresult", job)
			}
		case FaultJobStuck:
			if job["jobstatus"] != float64(0) {
				t.Errorf("stuck job: %v", job)
			}
		}
	}
	for _, bad := range []string{"x", "listZones=boom", "listZones=http:abc", "listZones=slow:fast", "listZones=stuck:1"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted it", bad)
		}
	}
}

func TestSlowFault(t *testing.T) {
	s, hs, _ := newTestServer(t)
	s.AddFault(Fault{Command: "listZones", Kind: FaultSlow, Delay: time.Second, Count: 1})
	c := &http.Client{Timeout: 50 * time.Millisecond}
	if _, err := c.Get(hs.URL + "/client/api?command=listZones"); err == nil {
		t.Error("a slow response did not time the client out")
	}
}

// A fault on an API the simulator does not serve is refused (it would never
// fire), and a bad code names the valid range.
func TestParseFaultChecks(t *testing.T) {
	for spec, want := range map[string]string{
		"nosuchapi=fail:533":        `invalid fault "nosuchapi=fail:533": the simulator has no API "nosuchapi"; it serves attachVolume, createSnapshot,`,
		"deployVirtualMachin=stuck": `the simulator has no API "deployVirtualMachin"`,
		"listZones=http:200":        `invalid fault "listZones=http:200": code "200", want a number from 400 to 599 such as 503`,
		"createVolume=fail:99":      `code "99", want a number from 400 to 599 such as 533`,
		"createVolume=fail:1e3":     `code "1e3", want a number from 400 to 599`,
		"=fail":                     `want COMMAND=KIND`,
		"createVolume=fail:533\x00": `code "533\x00"`,
		"listZones=fail:533":        `invalid fault "listZones=fail:533": listZones answers at once, without a job, so fail would never fire (fail, cancel and stuck apply to async APIs such as deployVirtualMachine); use http:CODE`,
		"deleteVolume=stuck":        `deleteVolume answers at once, without a job, so stuck would never fire`,
		"listZones=http:503x0":      `count 0, want 1 or more`,
	} {
		_, err := ParseFault(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFault(%q): %v, want %q", spec, err, want)
		}
	}
	for spec, want := range map[string]string{"DEPLOYVIRTUALMACHINE=fail": "deployVirtualMachine", "*=http:503x2": "*", " attachVolume = cancel ": "attachVolume"} {
		f, err := ParseFault(spec)
		if err != nil || f.Command != want {
			t.Errorf("ParseFault(%q) = %+v, %v; want command %s", spec, f, err, want)
		}
	}
}

// A string parameter longer than the server's 255 is refused as the real
// server refuses it (the simulator accepted a 100,000-character name).
func TestStringParamLength(t *testing.T) {
	s, hs, _ := newTestServer(t)
	p := map[string]string{"command": "createVolume", "diskofferingid": s.w.diskOffers[1].id, "zoneid": s.w.zones[0].id}
	p["name"] = strings.Repeat("é", 256)
	code, body := call(t, hs, "POST", "secret", p)
	if code != 431 || body["errortext"] != "Value greater than max allowed length 255 for param: name" {
		t.Errorf("256 characters: %d %v", code, body)
	}
	p["name"] = strings.Repeat("é", 255)
	if code, body := call(t, hs, "POST", "secret", p); code != 200 {
		t.Errorf("255 characters: %d %v", code, body)
	}
}
