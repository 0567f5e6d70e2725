package csim

import (
	"fmt"
	"strconv"
	"time"
)

// maxDeviceID is the highest device id a data volume gets (/dev/sdp).
const maxDeviceID = 15

// defaultDurations are the simulated job times: a snapshot took 9.5 minutes
// in the seed note.
func defaultDurations() map[string]time.Duration {
	return map[string]time.Duration{
		"createVolume":          2 * time.Second,
		"attachVolume":          10 * time.Second,
		"detachVolume":          8 * time.Second,
		"createSnapshot":        570 * time.Second,
		"deleteSnapshot":        5 * time.Second,
		"createTemplate":        60 * time.Second,
		"deleteTemplate":        5 * time.Second,
		"deployVirtualMachine":  90 * time.Second,
		"destroyVirtualMachine": 20 * time.Second,
	}
}

func asyncBody(id string, j *job) obj {
	if id == "" {
		return obj{"jobid": j.id}
	}
	return obj{"id": id, "jobid": j.id}
}

// busy refuses a second operation on a volume while a job holds it.
func (s *Server) busy(v *volume) *apiError {
	if v.busy == "" {
		return nil
	}
	if j := s.job(v.busy); j != nil && j.status == jobPending {
		return &apiError{536, 4375, fmt.Sprintf("Volume %s is in use by job %s (%s); try again when it is done", v.name, j.id, j.api)}
	}
	v.busy = ""
	return nil
}

func (s *Server) createVolume(p args) (obj, *apiError) {
	offID, zoneID, sizeText := p.get("diskofferingid"), p.get("zoneid"), p.get("size")
	if offID == "" {
		return nil, paramError("Either disk Offering Id or snapshot Id must be passed whilst creating volume")
	}
	off := s.w.diskOffering(offID)
	if off == nil {
		return nil, badID("createVolume", "diskofferingid", offID)
	}
	if zoneID == "" {
		return nil, paramError("Please specify a zone id when creating a volume from a disk offering")
	}
	if s.w.zone(zoneID) == nil {
		return nil, badID("createVolume", "zoneid", zoneID)
	}
	size := off.sizeGB
	switch {
	case off.customized && sizeText == "":
		return nil, paramError("This disk offering requires a custom size specified")
	case off.customized:
		n, err := strconv.ParseInt(sizeText, 10, 64)
		if err != nil || n < 1 || n > 1024 {
			return nil, paramError("Invalid disk size %s: it must be between 1 and 1024 GB", sizeText)
		}
		size = n
	case sizeText != "":
		return nil, paramError("This disk offering does not allow custom size")
	}
	v := &volume{id: s.w.newID("volume"), name: p.get("name"), vtype: "DATADISK", state: "Allocated",
		zoneid: zoneID, diskofferingid: off.id, size: size << 30, created: s.shown()}
	if v.name == "" {
		v.name = "DATA-" + v.id[:8]
	}
	s.w.volumes = append(s.w.volumes, v)
	j := s.startJob("createVolume", "Volume", v.id, s.dur["createVolume"])
	return asyncBody(v.id, j), nil
}

func (s *Server) attachVolume(p args) (obj, *apiError) {
	v := s.w.volume(p.get("id"))
	if v == nil {
		return nil, badID("attachVolume", "id", p.get("id"))
	}
	m := s.w.vm(p.get("virtualmachineid"))
	if m == nil || m.state == "Destroyed" {
		return nil, badID("attachVolume", "virtualmachineid", p.get("virtualmachineid"))
	}
	if e := s.busy(v); e != nil {
		return nil, e
	}
	if v.vmid != "" {
		return nil, paramError("Please specify a volume that is not attached to any VM.")
	}
	if v.vtype != "DATADISK" {
		return nil, paramError("Please specify a volume with the valid type: DATADISK")
	}
	if m.state != "Running" && m.state != "Stopped" {
		return nil, paramError("Please specify a VM that is either running or stopped.")
	}
	if m.zoneid != v.zoneid {
		return nil, paramError("Please specify a VM that is in the same zone as the volume.")
	}
	used := s.w.usedDevices(m.id)
	dev := 1
	if d := p.get("deviceid"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > maxDeviceID {
			return nil, paramError("deviceId should be between 1 and %d, got %s", maxDeviceID, d)
		}
		if used[n] {
			return nil, paramError("deviceId %d is used by VM %s", n, m.name)
		}
		dev = n
	} else {
		for used[dev] {
			dev++
		}
		if dev > maxDeviceID {
			return nil, paramError("VM %s has no free device id: 1 to %d are attached or being attached", m.name, maxDeviceID)
		}
	}
	first := v.state == "Allocated"
	if first {
		v.state = "Creating"
	} else {
		v.state = "Attaching"
	}
	v.attaching, v.attachDev = m.id, dev // until the job ends
	j := s.startJob("attachVolume", "Volume", v.id, s.dur["attachVolume"])
	j.vmID, j.device, j.first = m.id, dev, first
	v.busy = j.id
	return asyncBody("", j), nil
}

func (s *Server) detachVolume(p args) (obj, *apiError) {
	var v *volume
	if id := p.get("id"); id != "" {
		if v = s.w.volume(id); v == nil {
			return nil, badID("detachVolume", "id", id)
		}
	} else {
		vmID, dev := p.get("virtualmachineid"), p.get("deviceid")
		if vmID == "" || dev == "" {
			return nil, paramError("Please provide either a volume id, or a tuple(device id, instance id)")
		}
		for _, o := range s.w.volumesOf(vmID) {
			if strconv.Itoa(o.deviceid) == dev {
				v = o
			}
		}
		if v == nil {
			return nil, paramError("Unable to find volume with device id %s on VM %s", dev, vmID)
		}
	}
	if e := s.busy(v); e != nil {
		return nil, e
	}
	if v.vtype == "ROOT" {
		return nil, paramError("Please specify a data volume.")
	}
	if v.vmid == "" {
		return nil, paramError("Volume %s is not attached to any VM.", v.name)
	}
	j := s.startJob("detachVolume", "Volume", v.id, s.dur["detachVolume"])
	v.busy = j.id
	return asyncBody("", j), nil
}

func (s *Server) deleteVolume(p args) (obj, *apiError) {
	v := s.w.volume(p.get("id"))
	if v == nil {
		return nil, badID("deleteVolume", "id", p.get("id"))
	}
	if e := s.busy(v); e != nil {
		return nil, e
	}
	if v.vmid != "" {
		return nil, paramError("Please specify a volume that is not attached to any VM.")
	}
	s.w.removeVolume(v.id)
	return obj{"success": true}, nil
}

func (s *Server) createSnapshot(p args) (obj, *apiError) {
	v := s.w.volume(p.get("volumeid"))
	if v == nil {
		return nil, badID("createSnapshot", "volumeid", p.get("volumeid"))
	}
	if e := s.busy(v); e != nil {
		return nil, e
	}
	if v.state != "Ready" {
		return nil, paramError("VolumeId: %s is not in Ready state but %s. Cannot take snapshot.", v.id, v.state)
	}
	now := s.shown() // the name carries the date a client sees
	owner := "detached"
	if m := s.w.vm(v.vmid); m != nil {
		owner = m.name
	}
	sn := &snapshot{id: s.w.newID("snapshot"), volumeid: v.id, state: "Allocated", zoneid: v.zoneid,
		size: v.size, created: now, content: v.content,
		name: p.get("name")}
	if sn.name == "" {
		sn.name = owner + "_" + v.name + "_" + now.UTC().Format("20060102150405")
	}
	s.w.snapshots = append(s.w.snapshots, sn)
	j := s.startJob("createSnapshot", "Snapshot", sn.id, s.dur["createSnapshot"])
	j.at(0.01, "Creating")
	j.at(0.05, "CreatedOnPrimary")
	j.at(0.10, "BackingUp")
	v.busy = j.id
	return asyncBody(sn.id, j), nil
}

func (s *Server) deleteSnapshot(p args) (obj, *apiError) {
	sn := s.w.snapshot(p.get("id"))
	if sn == nil {
		return nil, badID("deleteSnapshot", "id", p.get("id"))
	}
	if sn.state != "BackedUp" && sn.state != "Error" {
		return nil, paramError("Can't delete snapshot %s with state %s", sn.id, sn.state)
	}
	j := s.startJob("deleteSnapshot", "Snapshot", sn.id, s.dur["deleteSnapshot"])
	return asyncBody("", j), nil
}
