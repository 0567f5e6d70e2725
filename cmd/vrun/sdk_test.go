package main

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apache/cloudstack-go/v2/cloudstack"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
)

// The official Go SDK (cloudstack-go, a test-only dependency) drives the
// server `vrun sim cloudstack` serves, at the default speed, for more than
// 5 s of wall time: the SDK signs every request with signatureversion=3
// and expires = now + 15 min, which the simulator once judged on its 300×
// job clock and refused after 3 s (issue 10). The sequence: list zones,
// offerings and templates; createVolume → attachVolume → detachVolume →
// createSnapshot → createTemplate → deployVirtualMachine, one deploy
// failing with an injected 533 read back with queryAsyncJobResult;
// listVirtualMachines page by page; destroyVirtualMachine.
func TestGoSDKAgainstSimCloudstack(t *testing.T) {
	start := time.Now()
	cfg, ok := parseSimArgs([]string{"--listen", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard)
	if !ok {
		t.Fatal("parseSimArgs refused the defaults")
	}
	srv := newSimServer(cfg)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	url := hs.URL + "/client/api"
	cs := cloudstack.NewAsyncClient(url, cfg.key, cfg.secret, false)
	cs.AsyncTimeout(120)
	nowait := cloudstack.NewClient(url, cfg.key, cfg.secret, false)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s after %s: %v", what, time.Since(start).Round(time.Millisecond), err)
		}
	}
	// Dates a client sees are wall-clock dates, not the job clock's.
	recent := func(what, date string) {
		t.Helper()
		d, err := time.Parse("2006-01-02T15:04:05-0700", date)
		if err != nil || d.Before(start.Add(-time.Second)) || d.After(time.Now().Add(time.Second)) {
			t.Errorf("%s %q: want a wall-clock date between %s and now", what, date, start.Format(time.RFC3339))
		}
	}

	zones, err := cs.Zone.ListZones(cs.Zone.NewListZonesParams())
	must("listZones", err)
	svc, err := cs.ServiceOffering.ListServiceOfferings(cs.ServiceOffering.NewListServiceOfferingsParams())
	must("listServiceOfferings", err)
	disks, err := cs.DiskOffering.ListDiskOfferings(cs.DiskOffering.NewListDiskOfferingsParams())
	must("listDiskOfferings", err)
	tpls, err := cs.Template.ListTemplates(cs.Template.NewListTemplatesParams("featured"))
	must("listTemplates", err)
	ostypes, err := cs.GuestOS.ListOsTypes(cs.GuestOS.NewListOsTypesParams())
	must("listOsTypes", err)
	if zones.Count == 0 || svc.Count == 0 || disks.Count < 2 || tpls.Count == 0 || ostypes.Count == 0 {
		t.Fatalf("seed lists: %d zones, %d service offerings, %d disk offerings, %d templates, %d OS types",
			zones.Count, svc.Count, disks.Count, tpls.Count, ostypes.Count)
	}
	zone, so, tpl := zones.Zones[0].Id, svc.ServiceOfferings[0].Id, tpls.Templates[0].Id
	vml := cs.VirtualMachine.NewListVirtualMachinesParams()
	vml.SetName("i-2-53553-VM")
	ws, err := cs.VirtualMachine.ListVirtualMachines(vml)
	must("listVirtualMachines name=workstation", err)
	if ws.Count != 1 {
		t.Fatalf("the seed's workstation: %d VMs", ws.Count)
	}

	cv := cs.Volume.NewCreateVolumeParams()
	cv.SetName("sdk-scratch")
	cv.SetDiskofferingid(disks.DiskOfferings[1].Id) // "Small", 5 GB
	cv.SetZoneid(zone)
	vol, err := cs.Volume.CreateVolume(cv)
	must("createVolume", err)
	recent("volume created", vol.Created)
	att, err := cs.Volume.AttachVolume(cs.Volume.NewAttachVolumeParams(vol.Id, ws.VirtualMachines[0].Id))
	must("attachVolume", err)
	if att.State != "Ready" || att.Virtualmachineid != ws.VirtualMachines[0].Id {
		t.Errorf("attached volume: state %s on %q", att.State, att.Virtualmachineid)
	}
	dv := cs.Volume.NewDetachVolumeParams()
	dv.SetId(vol.Id)
	_, err = cs.Volume.DetachVolume(dv)
	must("detachVolume", err)
	snap, err := cs.Snapshot.CreateSnapshot(cs.Snapshot.NewCreateSnapshotParams(vol.Id))
	must("createSnapshot", err)
	if snap.State != "BackedUp" {
		t.Errorf("snapshot state %s, want BackedUp", snap.State)
	}
	ct := cs.Template.NewCreateTemplateParams("sdk template", "sdk-tpl", ostypes.OsTypes[0].Id)
	ct.SetSnapshotid(snap.Id)
	made, err := cs.Template.CreateTemplate(ct)
	must("createTemplate", err)
	if !made.Isready {
		t.Errorf("template from the snapshot is not ready: %+v", made)
	}

	// Four deploys in flight at once (without waiting), then each waited.
	var vmIDs []string
	var jobs []string
	for range 4 {
		r, err := nowait.VirtualMachine.DeployVirtualMachine(nowait.VirtualMachine.NewDeployVirtualMachineParams(so, made.Id, zone))
		must("deployVirtualMachine", err)
		vmIDs, jobs = append(vmIDs, r.Id), append(jobs, r.JobID)
	}
	for i, j := range jobs {
		raw, err := cs.GetAsyncJobResult(j, 120)
		must("waiting for deploy "+j, err)
		var res struct {
			VM cloudstack.VirtualMachine `json:"virtualmachine"`
		}
		if err := json.Unmarshal(raw, &res); err != nil || res.VM.Id != vmIDs[i] || res.VM.State != "Running" {
			t.Errorf("deploy %d: %v %+v", i, err, res.VM)
		}
	}

	// An injected 533: the SDK's async client reports it, and the job
	// reads back as ApiAsyncJobDispatcher records a failure.
	srv.AddFault(csim.Fault{Command: "deployVirtualMachine", Kind: csim.FaultJobFail, Code: 533, Count: 1})
	r, err := nowait.VirtualMachine.DeployVirtualMachine(nowait.VirtualMachine.NewDeployVirtualMachineParams(so, tpl, zone))
	must("deployVirtualMachine (to fail)", err)
	if _, err := cs.GetAsyncJobResult(r.JobID, 120); err == nil || !strings.Contains(err.Error(), `"errorcode":533`) {
		t.Errorf("the SDK on the failed deploy: %v", err)
	}
	q, err := cs.Asyncjob.QueryAsyncJobResult(cs.Asyncjob.NewQueryAsyncJobResultParams(r.JobID))
	must("queryAsyncJobResult", err)
	var failure struct {
		UUIDList  *[]string `json:"uuidList"`
		ErrorCode int       `json:"errorcode"`
		ErrorText string    `json:"errortext"`
	}
	if err := json.Unmarshal(q.Jobresult, &failure); err != nil {
		t.Fatalf("failed job's result %s: %v", q.Jobresult, err)
	}
	if q.Jobstatus != 2 || q.Jobresultcode != 533 || failure.ErrorCode != 533 || failure.UUIDList == nil || len(*failure.UUIDList) != 0 ||
		!strings.HasPrefix(failure.ErrorText, "Unable to create a deployment for VM[User|") {
		t.Errorf("failed deploy: jobstatus %d, jobresultcode %d, jobresult %s", q.Jobstatus, q.Jobresultcode, q.Jobresult)
	}
	recent("job created", q.Created)
	recent("job completed", q.Completed)

	// Past 5 s of wall time (1500 s on the job clock), requests signed on
	// the wall clock still pass.
	if d := 6*time.Second - time.Since(start); d > 0 {
		time.Sleep(d)
	}
	seen := map[string]bool{}
	total := -1
	for page := 1; ; page++ {
		p := cs.VirtualMachine.NewListVirtualMachinesParams()
		p.SetPage(page)
		p.SetPagesize(2)
		l, err := cs.VirtualMachine.ListVirtualMachines(p)
		must("listVirtualMachines page", err)
		total = l.Count
		for _, m := range l.VirtualMachines {
			if seen[m.Id] {
				t.Errorf("VM %s on two pages", m.Id)
			}
			seen[m.Id] = true
			recent("VM created", m.Created)
		}
		if len(l.VirtualMachines) < 2 || len(seen) >= total {
			break
		}
	}
	if total != 6 || len(seen) != total { // the workstation, four deployed, the failed one (Error)
		t.Errorf("paged listVirtualMachines: %d VMs, count %d; want 6", len(seen), total)
	}
	for _, id := range vmIDs {
		if !seen[id] {
			t.Errorf("deployed VM %s not listed", id)
		}
	}
	gone, err := cs.VirtualMachine.DestroyVirtualMachine(cs.VirtualMachine.NewDestroyVirtualMachineParams(vmIDs[0]))
	must("destroyVirtualMachine", err)
	if gone.State != "Destroyed" {
		t.Errorf("destroyed VM state %s", gone.State)
	}
}
