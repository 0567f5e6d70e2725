package csim

import (
	"errors"
	"fmt"
	"strings"
)

// maxSeq bounds the id counter of a loaded world, far above any real one,
// so counting on from it cannot overflow.
const maxSeq = 1 << 40

// check refuses a loaded world that does not hold together: the simulator
// would otherwise answer for objects that cannot exist, and a rehearsal
// on it would prove nothing.
func (w *world) check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	seen := map[string]string{}
	w.eachID(func(kind, id string) {
		if id == "" {
			bad("a %s without an id", kind)
		} else if other, dup := seen[id]; dup {
			bad("id %s is both a %s and a %s", id, other, kind)
		}
		seen[id] = kind
	})
	is := func(id, kind string) bool { return seen[id] == kind }
	if len(w.zones) == 0 {
		bad("no zones: a cloud has at least one (is this a world vrun saved?)")
	}
	if w.seq > maxSeq {
		bad("seq %d, want at most %d", w.seq, maxSeq)
	}
	states := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	volumeStates := states("Allocated", "Creating", "Attaching", "Ready")
	vmStates := states("Stopped", "Starting", "Running", "Stopping", "Destroyed", "Expunged", "Error")
	snapStates := states("Allocated", "Creating", "CreatedOnPrimary", "BackingUp", "BackedUp", "Error")
	for _, d := range w.diskOffers {
		if d.sizeGB < 0 {
			bad("disk offering %s: size %d GB, want 0 or more", d.id, d.sizeGB)
		}
	}
	for _, t := range w.templates {
		if !is(t.ostypeid, "OS type") || !is(t.zoneid, "zone") || t.size < 0 {
			bad("template %s: OS type %q, zone %q or size %d does not exist in this world", t.id, t.ostypeid, t.zoneid, t.size)
		}
	}
	for _, m := range w.vms {
		if !vmStates[m.state] || !is(m.zoneid, "zone") || !is(m.svcid, "service offering") {
			bad("virtual machine %s: state %q, zone %q or service offering %q is not one the simulator knows", m.id, m.state, m.zoneid, m.svcid)
		}
	}
	devices := map[string]string{} // vm/device -> volume: one volume per device
	checkVolume := func(v *volume) {
		switch {
		case v.vtype != "ROOT" && v.vtype != "DATADISK":
			bad("volume %s: type %q, want ROOT or DATADISK", v.id, v.vtype)
		case !volumeStates[v.state]:
			bad("volume %s: state %q, want Allocated, Creating, Attaching or Ready", v.id, v.state)
		case !is(v.zoneid, "zone") || (v.diskofferingid != "" && !is(v.diskofferingid, "disk offering")):
			bad("volume %s: zone %q or disk offering %q does not exist in this world", v.id, v.zoneid, v.diskofferingid)
		case v.size < 0 || v.deviceid < 0 || v.deviceid > maxDeviceID || v.attachDev < 0 || v.attachDev > maxDeviceID:
			bad("volume %s: size %d, device id %d or attaching device id %d out of range (device ids 0 to %d)", v.id, v.size, v.deviceid, v.attachDev, maxDeviceID)
		case (v.vmid != "" && !is(v.vmid, "virtual machine")) || (v.attaching != "" && !is(v.attaching, "virtual machine")):
			bad("volume %s: attached or attaching to %q, which is not a virtual machine of this world", v.id, v.vmid+v.attaching)
		case v.busy != "" && !is(v.busy, "job"):
			bad("volume %s: busy with job %q, which is not a job of this world", v.id, v.busy)
		}
		for _, at := range [][2]any{{v.vmid, v.deviceid}, {v.attaching, v.attachDev}} {
			if at[0] == "" {
				continue
			}
			key := fmt.Sprint(at[0], "/", at[1])
			if other, dup := devices[key]; dup {
				bad("volumes %s and %s both at device id %d of virtual machine %s", other, v.id, at[1], at[0])
			}
			devices[key] = v.id
		}
	}
	for _, v := range w.volumes {
		checkVolume(v)
	}
	for _, sn := range w.snapshots {
		if !snapStates[sn.state] || !is(sn.zoneid, "zone") || sn.size < 0 {
			bad("snapshot %s: state %q, zone %q or size %d is not one the simulator knows", sn.id, sn.state, sn.zoneid, sn.size)
		}
	}
	for _, j := range w.jobs {
		subject := map[string]string{
			"createVolume": "Volume", "attachVolume": "Volume", "detachVolume": "Volume",
			"createSnapshot": "Snapshot", "deleteSnapshot": "Snapshot",
			"createTemplate": "Template", "deleteTemplate": "Template",
			"deployVirtualMachine": "VirtualMachine", "destroyVirtualMachine": "VirtualMachine",
		}[j.api]
		switch {
		case subject == "" || j.instanceType != subject:
			bad("job %s: API %q on %q, want an async API of the simulator on its object type", j.id, j.api, j.instanceType)
		case j.status < jobPending || j.status > jobCancelled:
			bad("job %s: status %d, want 0 (pending) to 3 (cancelled)", j.id, j.status)
		case j.due.Before(j.created):
			bad("job %s: due before it was created", j.id)
		case j.status == jobSucceeded && j.result == nil:
			bad("job %s: finished without a result", j.id)
		case j.status == jobPending && !is(j.instanceID, map[string]string{"Volume": "volume", "Snapshot": "snapshot",
			"Template": "template", "VirtualMachine": "virtual machine"}[subject]):
			bad("job %s: running on %s %q, which is not in this world", j.id, strings.ToLower(subject), j.instanceID)
		case j.status == jobPending && j.api == "attachVolume" && !is(j.vmID, "virtual machine"):
			bad("job %s: attaching to %q, which is not a virtual machine of this world", j.id, j.vmID)
		case j.status == jobPending && j.api == "deployVirtualMachine" && j.root == nil:
			bad("job %s: a deploy in flight without its root volume", j.id)
		case j.fault != nil && j.fault.Kind != FaultJobFail && j.fault.Kind != FaultJobCancel && j.fault.Kind != FaultJobStuck:
			bad("job %s: fault kind %q, want fail, cancel or stuck", j.id, j.fault.Kind)
		}
		for _, st := range j.stages {
			if (subject == "Snapshot" && !snapStates[st.state]) || (subject == "VirtualMachine" && !vmStates[st.state]) || (subject != "Snapshot" && subject != "VirtualMachine") {
				bad("job %s: stage state %q is not one of its object", j.id, st.state)
			}
		}
		if j.root != nil {
			checkVolume(j.root)
		}
	}
	return errors.Join(errs...)
}
