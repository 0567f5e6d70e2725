package csim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// rawCall sends a signed GET and returns the status and the whole answer,
// wrapper included.
func rawCall(t *testing.T, hs *httptest.Server, secret string, p map[string]string) (int, map[string]map[string]any) {
	t.Helper()
	all := map[string]string{"apiKey": "key", "response": "json"}
	for k, v := range p {
		all[k] = v
	}
	q := url.Values{}
	for k, v := range all {
		q.Set(k, v)
	}
	q.Set("signature", signing.Sign(all, secret))
	resp, err := http.Get(hs.URL + "/client/api?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var outer map[string]map[string]any
	if err := json.Unmarshal(data, &outer); err != nil {
		t.Fatalf("%s: not a JSON envelope: %s", p["command"], data)
	}
	return resp.StatusCode, outer
}

// Client-visible time is the wall clock, job progress the simulated one:
// a v3 signature made on the wall clock stays valid however far the job
// clock runs ahead, and dates are wall-clock dates (issue 10, item 1).
func TestWallClockForClients(t *testing.T) {
	sim := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	wall := &fakeClock{t: time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)}
	s := New(Options{APIKey: "key", SecretKey: "secret", Clock: sim, Wall: wall})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	v3 := func(exp time.Time, p map[string]string) map[string]string {
		p["signatureversion"], p["expires"] = "3", signing.Expires(exp)
		return p
	}
	_, body := call(t, hs, "POST", "secret", v3(wall.t.Add(15*time.Minute), map[string]string{"command": "createVolume", "name": "v",
		"diskofferingid": s.w.diskOffers[1].id, "zoneid": s.w.zones[0].id}))
	jobID, volID := body["jobid"].(string), body["id"].(string)
	// 4 simulated seconds (the 2 s createVolume is done) in 10 s of wall time.
	sim.t, wall.t = sim.t.Add(4*time.Second), wall.t.Add(10*time.Second)
	code, job := call(t, hs, "GET", "secret", v3(wall.t.Add(15*time.Minute), map[string]string{"command": "queryAsyncJobResult", "jobid": jobID}))
	if code != 200 || job["jobstatus"] != float64(1) {
		t.Fatalf("job: %d %v", code, job)
	}
	if job["created"] != "2030-06-01T12:00:00+0000" || job["completed"] != "2030-06-01T12:00:05+0000" {
		t.Errorf("job dates: created %v completed %v, want the wall clock's 12:00:00 and 12:00:05", job["created"], job["completed"])
	}
	_, vols := call(t, hs, "GET", "secret", map[string]string{"command": "listVolumes", "id": volID})
	if c := vols["volume"].([]any)[0].(map[string]any)["created"]; c != "2030-06-01T12:00:00+0000" {
		t.Errorf("volume created %v, want the wall clock's date", c)
	}
	sim.t = sim.t.Add(24 * time.Hour) // the job clock runs far ahead
	if code, body := call(t, hs, "GET", "secret", v3(wall.t.Add(time.Minute), map[string]string{"command": "listZones"})); code != 200 {
		t.Errorf("expires a minute ahead of the wall clock: %d %v", code, body)
	}
	if code, _ := call(t, hs, "GET", "secret", v3(wall.t.Add(-time.Second), map[string]string{"command": "listZones"})); code != 401 {
		t.Errorf("expired on the wall clock: %d, want 401", code)
	}
}

// Envelopes as ApiServlet and ApiResponseSerializer write them (item 4).
func TestEnvelopes(t *testing.T) {
	s, hs, _ := newTestServer(t)
	generic := "unable to verify user credentials and/or request signature"
	code, outer := rawCall(t, hs, "wrong", map[string]string{"command": "listZones"})
	e, ok := outer["listzonesresponse"]
	if code != 401 || !ok || e["errortext"] != generic || e["errorcode"] != float64(401) || e["cserrorcode"] != nil || e["uuidList"] == nil {
		t.Errorf("bad signature: %d %v, want 401 under listzonesresponse without cserrorcode", code, outer)
	}
	code, outer = rawCall(t, hs, "secret", map[string]string{"command": "noSuchCommand"})
	if e, ok := outer["errorresponse"]; code != 401 || !ok || e["errortext"] != generic || e["cserrorcode"] != nil {
		t.Errorf("unknown command: %d %v, want the generic 401 under errorresponse", code, outer)
	}
	code, outer = rawCall(t, hs, "secret", map[string]string{"command": "listOsTypes", "page": "9", "pagesize": "2"})
	if r := outer["listostypesresponse"]; code != 200 || len(r) != 1 || r["count"] != float64(5) {
		t.Errorf("page past the end: %d %v, want {\"count\": 5}", code, outer)
	}
	// An unpaged list is one page of default.page.size; count says all.
	s.mu.Lock()
	for i := range 600 {
		s.w.volumes = append(s.w.volumes, &volume{id: fmt.Sprintf("v-%d", i), name: "bulk", vtype: "DATADISK", state: "Allocated", zoneid: s.w.zones[0].id})
	}
	s.mu.Unlock()
	_, body := call(t, hs, "GET", "secret", map[string]string{"command": "listVolumes"})
	if n := len(body["volume"].([]any)); n != 500 || body["count"] != float64(603) {
		t.Errorf("unpaged list: %d items, count %v; want 500 of 603", n, body["count"])
	}
	_, body = call(t, hs, "GET", "secret", map[string]string{"command": "listVolumes", "pagesize": "-1"})
	if n := len(body["volume"].([]any)); n != 603 {
		t.Errorf("pagesize -1: %d items, want all 603", n)
	}
}

// A server set to default.page.size 100 caps unpaged lists there and
// refuses larger pages with the text clients learn the limit from.
func TestMaxPageSize(t *testing.T) {
	s := New(Options{APIKey: "key", SecretKey: "secret", MaxPageSize: 3})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "listOsTypes", "page": "1", "pagesize": "4"})
	if code != 431 || body["errortext"] != "Page size can't exceed max allowed page size value: 3" {
		t.Errorf("pagesize over the limit: %d %v", code, body)
	}
	_, body = call(t, hs, "GET", "secret", map[string]string{"command": "listOsTypes"})
	if n := len(body["ostype"].([]any)); n != 3 || body["count"] != float64(5) {
		t.Errorf("unpaged: %d items, count %v; want 3 of 5", n, body["count"])
	}
	if strings.Contains(fmt.Sprint(body), "errortext") {
		t.Errorf("unpaged list answered an error: %v", body)
	}
}

// What clients were shown survives --sim-state: a finished job answers
// the same created and completed after a reload onto other clocks, and a
// world saved before wall times were kept still loads (its simulated
// times stand in).
func TestShownTimesRoundTrip(t *testing.T) {
	sim := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	wall := &fakeClock{t: time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)}
	s := New(Options{APIKey: "key", SecretKey: "secret", Clock: sim, Wall: wall})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	_, body := call(t, hs, "POST", "secret", map[string]string{"command": "createVolume", "name": "v",
		"diskofferingid": s.w.diskOffers[1].id, "zoneid": s.w.zones[0].id})
	jobID := body["jobid"].(string)
	sim.t, wall.t = sim.t.Add(time.Minute), wall.t.Add(time.Second)
	_, before := call(t, hs, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": jobID})
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	later := &fakeClock{t: wall.t.Add(48 * time.Hour)}
	s2 := New(Options{APIKey: "key", SecretKey: "secret", Clock: later, Wall: later})
	if err := json.Unmarshal(data, s2); err != nil {
		t.Fatal(err)
	}
	hs2 := httptest.NewServer(s2)
	t.Cleanup(hs2.Close)
	_, after := call(t, hs2, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": jobID})
	if before["created"] != after["created"] || before["completed"] != after["completed"] || before["created"] != "2030-06-01T12:00:00+0000" {
		t.Errorf("job dates after reload: %v %v, before %v %v", after["created"], after["completed"], before["created"], before["completed"])
	}
	old := strings.NewReplacer(`"shown_created"`, `"x_created"`, `"shown_completed"`, `"x_completed"`).Replace(string(data))
	old = regexp.MustCompile(`,"x_(created|completed)":"[^"]*"`).ReplaceAllString(old, "")
	s3 := New(Options{APIKey: "key", SecretKey: "secret", Clock: later, Wall: later})
	if err := json.Unmarshal([]byte(old), s3); err != nil {
		t.Fatalf("a world without shown times: %v", err)
	}
	hs3 := httptest.NewServer(s3)
	t.Cleanup(hs3.Close)
	if _, j := call(t, hs3, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": jobID}); j["created"] != "2026-01-01T00:00:00+0000" {
		t.Errorf("a world without shown times: created %v, want the simulated time", j["created"])
	}
}
