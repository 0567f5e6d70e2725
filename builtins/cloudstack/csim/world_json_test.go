package csim

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// reload saves s and loads the result into a fresh server on clk, served
// on a new test server.
func reload(t *testing.T, s *Server, clk *fakeClock) (*Server, *httptest.Server) {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	s2 := New(Options{APIKey: "key", SecretKey: "secret", Clock: clk, Wall: clk})
	if err := json.Unmarshal(data, s2); err != nil {
		t.Fatalf("load: %v\n%s", err, data)
	}
	hs := httptest.NewServer(s2)
	t.Cleanup(hs.Close)
	return s2, hs
}

// A saved world comes back with its finished jobs' answers, its running
// job resumes with the time it had left at the last request (the world
// stands still between runs, even when the next run's clock starts
// elsewhere), and ids go on from the saved counter.
func TestWorldRoundTripResumesJobs(t *testing.T) {
	s, hs, clk := newTestServer(t)
	zone, off := s.w.zones[0].id, s.w.diskOffers[0].id
	_, body := call(t, hs, "POST", "secret", map[string]string{"command": "createVolume", "name": "v", "diskofferingid": off, "size": "40", "zoneid": zone})
	doneJob := body["jobid"].(string)
	clk.t = clk.t.Add(2 * time.Second)
	_, before := call(t, hs, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": doneJob})
	data := s.w.volumes[1] // a Ready data disk of the workstation
	_, body = call(t, hs, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": data.id})
	snapJob, snapID := body["jobid"].(string), body["id"].(string)
	clk.t = clk.t.Add(100 * time.Second) // BackingUp, 470s left
	call(t, hs, "GET", "secret", map[string]string{"command": "listZones"})
	clk.t = clk.t.Add(time.Hour) // no request: the world does not see this hour

	// The ids the original would give next.
	want := []string{s.w.newID("volume"), s.w.newID("job")}
	s.w.seq -= 2

	clk2 := &fakeClock{t: clk.t.Add(-2 * time.Hour)} // the next run's clock is an hour behind the world
	s2, hs2 := reload(t, s, clk2)
	_, after := call(t, hs2, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": doneJob})
	if !reflect.DeepEqual(before, after) {
		t.Errorf("finished job after reload:\n got %v\nwant %v", after, before)
	}
	state := func() (string, any) {
		_, l := call(t, hs2, "GET", "secret", map[string]string{"command": "listSnapshots", "id": snapID})
		_, j := call(t, hs2, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": snapJob})
		return l["snapshot"].([]any)[0].(map[string]any)["state"].(string), j["jobstatus"]
	}
	if st, js := state(); st != "BackingUp" || js != float64(0) {
		t.Errorf("running snapshot after reload: %s, job status %v", st, js)
	}
	if code, _ := call(t, hs2, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": data.id}); code != 536 {
		t.Errorf("the volume is no longer busy after reload: got %d, want 536", code)
	}
	clk2.t = clk2.t.Add(469 * time.Second)
	if st, _ := state(); st != "BackingUp" {
		t.Errorf("snapshot 1s before its end: %s", st)
	}
	clk2.t = clk2.t.Add(time.Second)
	if st, js := state(); st != "BackedUp" || js != float64(1) {
		t.Errorf("snapshot at its end: %s, job status %v", st, js)
	}
	// Expiring signatures are checked against the wall clock, which the
	// client signs with, not the world's (an hour ahead here).
	p := map[string]string{"command": "listZones", "signatureversion": "3", "expires": signing.Expires(clk2.t.Add(time.Minute))}
	if code, body := call(t, hs2, "GET", "secret", p); code != 200 {
		t.Errorf("signature valid on the wall clock after reload: got %d %v", code, body)
	}
	s2.mu.Lock()
	got := []string{s2.w.newID("volume"), s2.w.newID("job")}
	s2.mu.Unlock()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ids after reload: %v, want %v", got, want)
	}
}

// A stuck job stays stuck, a deploy in flight keeps its root volume, and
// a second save of a loaded world is the same world.
func TestWorldKeepsStuckJobsAndDeploys(t *testing.T) {
	s, hs, clk := newTestServer(t)
	s.AddFault(Fault{Command: "createSnapshot", Kind: FaultJobStuck})
	_, body := call(t, hs, "POST", "secret", map[string]string{"command": "createSnapshot", "volumeid": s.w.volumes[1].id})
	stuck := body["jobid"].(string)
	tpl, z, so := s.w.templates[0].id, s.w.zones[0].id, s.w.svcOffers[0].id
	_, body = call(t, hs, "POST", "secret", map[string]string{"command": "deployVirtualMachine", "zoneid": z, "templateid": tpl, "serviceofferingid": so, "name": "n1"})
	deploy, vmID := body["jobid"].(string), body["id"].(string)
	call(t, hs, "GET", "secret", map[string]string{"command": "listZones"})
	s2, hs2 := reload(t, s, clk)
	clk.t = clk.t.Add(time.Hour)
	_, j := call(t, hs2, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": stuck})
	if j["jobstatus"] != float64(0) {
		t.Errorf("stuck job after reload: %v", j)
	}
	_, j = call(t, hs2, "GET", "secret", map[string]string{"command": "queryAsyncJobResult", "jobid": deploy})
	_, vols := call(t, hs2, "GET", "secret", map[string]string{"command": "listVolumes", "virtualmachineid": vmID})
	if j["jobstatus"] != float64(1) || vols["count"] != float64(1) {
		t.Errorf("deploy after reload: job %v, volumes %v", j, vols)
	}
	a, _ := json.Marshal(s2)
	s3, _ := reload(t, s2, clk)
	b, _ := json.Marshal(s3)
	if string(a) != string(b) {
		t.Errorf("a reloaded world saves differently:\n%s\n%s", a, b)
	}
}

// A world that does not hold together is refused with what is wrong.
func TestWorldRefusesInconsistentState(t *testing.T) {
	s, _, _ := newTestServer(t)
	good, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	vol, ws := s.w.volumes[1].id, s.w.vms[0].id
	for _, c := range []struct{ old, new, want string }{
		{string(good), "null", "null, want the simulated cloud"},
		{`"seq":`, `"bogus":1,"seq":`, `unknown field "bogus"`},
		{`"seq":18`, `"seq":-1`, "seq -1"},
		{`"name":"data1","type":"DATADISK","state":"Ready"`, `"name":"data1","type":"DATADISK","state":"Melted"`, `state "Melted"`},
		{`"virtualmachineid":"` + ws + `","deviceid":1`, `"virtualmachineid":"nope","deviceid":1`, `attached or attaching to "nope"`},
		{`"virtualmachineid":"` + ws + `","deviceid":1`, `"virtualmachineid":"` + ws + `","deviceid":2`, "both at device id 2"},
		{`"virtualmachineid":"` + ws + `","deviceid":1`, `"virtualmachineid":"` + ws + `","deviceid":99`, "device id 99"},
		{`"id":"` + vol + `"`, `"id":"` + ws + `"`, "is both a virtual machine and a volume"},
		{`"size":42949672960`, `"size":-1`, "size -1"},
		{string(good), "{}", "no zones"},
		{`"seq":18`, `"seq":9223372036854775807`, "want at most"},
		{`"clock":"2026-01-01T00:00:00Z"`, `"clock":"9999-01-01T00:00:00Z"`, "within two centuries"},
		{`"clock":"2026-01-01T00:00:00Z"`, `"clock":"0001-01-01T00:00:00Z"`, "want the time of the world's last request"},
		{`"jobs":[]`, `"jobs":[{"id":"j1","api":"createVolume","instancetype":"Volume","instanceid":"nope","created":"2026-01-01T00:00:00Z","due":"2026-01-01T00:00:01Z","status":0,"resultcode":0}]`, `running on volume "nope"`},
		{`"jobs":[]`, `"jobs":[{"id":"j1","api":"createVolume","instancetype":"Volume","instanceid":"x","created":"2026-01-01T00:00:00Z","due":"2026-01-01T00:00:01Z","status":1,"resultcode":0}]`, "finished without a result"},
		{`"jobs":[]`, `"jobs":[{"id":"j1","api":"rm","created":"2026-01-01T00:00:00Z","due":"2026-01-01T00:00:01Z","status":0,"resultcode":0}]`, `API "rm"`},
	} {
		data := strings.Replace(string(good), c.old, c.new, 1)
		if data == string(good) {
			t.Fatalf("test case %q does not change the world", c.old)
		}
		err := json.Unmarshal([]byte(data), New(Options{}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s -> %s: got %v, want %q", c.old, c.new, err, c.want)
		}
	}
}
