package csim

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// toJSON copies the world into its saved form; the server must be locked.
func (w *world) toJSON() (*worldJSON, error) {
	o := &worldJSON{Seq: w.seq, Clock: w.last, Zones: []zoneJSON{}, DiskOfferings: []diskOfferJSON{}, ServiceOfferings: []svcOfferJSON{},
		OSTypes: []osTypeJSON{}, Templates: []templateJSON{}, VMs: []vmJSON{}, Volumes: []volumeJSONState{},
		Snapshots: []snapshotJSON{}, Jobs: []jobJSON{}}
	for _, z := range w.zones {
		o.Zones = append(o.Zones, zoneJSON{z.id, z.name})
	}
	for _, d := range w.diskOffers {
		o.DiskOfferings = append(o.DiskOfferings, diskOfferJSON{d.id, d.name, d.sizeGB, d.customized})
	}
	for _, so := range w.svcOffers {
		o.ServiceOfferings = append(o.ServiceOfferings, svcOfferJSON{so.id, so.name, so.cpus, so.mhz, so.mem})
	}
	for _, t := range w.osTypes {
		o.OSTypes = append(o.OSTypes, osTypeJSON{t.id, t.description, t.category})
	}
	for _, t := range w.templates {
		o.Templates = append(o.Templates, templateJSON{t.id, t.name, t.displaytext, t.ostypeid, t.zoneid, t.size,
			t.ready, t.featured, t.created, t.content, t.sourceSnapshot})
	}
	for _, m := range w.vms {
		o.VMs = append(o.VMs, vmJSON{m.id, m.name, m.displayname, m.state, m.zoneid, m.templateid, m.svcid,
			m.group, m.ip, m.userdata, m.created})
	}
	for _, v := range w.volumes {
		o.Volumes = append(o.Volumes, volumeToJSON(v))
	}
	for _, sn := range w.snapshots {
		o.Snapshots = append(o.Snapshots, snapshotJSON{sn.id, sn.name, sn.volumeid, sn.state, sn.zoneid, sn.size, sn.created, sn.content})
	}
	for _, j := range w.jobs {
		jj := jobJSON{ID: j.id, API: j.api, InstanceType: j.instanceType, InstanceID: j.instanceID,
			Created: j.created, Due: j.due, Status: j.status, ResultCode: j.resultCode, Fault: j.fault,
			VMID: j.vmID, Device: j.device, First: j.first, Start: j.start, Expunge: j.expunge}
		if !j.completed.IsZero() {
			c := j.completed
			jj.Completed = &c
		}
		if !j.shownCreated.IsZero() {
			c := j.shownCreated
			jj.ShownCreated = &c
		}
		if !j.shownDone.IsZero() {
			c := j.shownDone
			jj.ShownDone = &c
		}
		if j.result != nil {
			raw, err := json.Marshal(j.result)
			if err != nil {
				return nil, fmt.Errorf("job %s: %w", j.id, err)
			}
			jj.Result = raw
		}
		for _, st := range j.stages {
			jj.Stages = append(jj.Stages, stageJSON{st.at, st.state})
		}
		if j.root != nil {
			r := volumeToJSON(j.root)
			jj.Root = &r
		}
		o.Jobs = append(o.Jobs, jj)
	}
	return o, nil
}

func volumeToJSON(v *volume) volumeJSONState {
	return volumeJSONState{v.id, v.name, v.vtype, v.state, v.zoneid, v.diskofferingid, v.size, v.vmid,
		v.deviceid, v.created, v.content, v.busy, v.attaching, v.attachDev}
}

func volumeFromJSON(v volumeJSONState) *volume {
	return &volume{id: v.ID, name: v.Name, vtype: v.Type, state: v.State, zoneid: v.ZoneID, diskofferingid: v.DiskOfferingID,
		size: v.Size, vmid: v.VMID, deviceid: v.DeviceID, created: v.Created, content: v.Content, busy: v.Busy,
		attaching: v.Attaching, attachDev: v.AttachDev}
}

// world rebuilds the simulated cloud from its saved form; check then
// refuses what does not hold together.
func (o *worldJSON) world() (*world, error) {
	if o.Seq < 0 {
		return nil, fmt.Errorf("seq %d, want 0 or more", o.Seq)
	}
	w := &world{seq: o.Seq, last: o.Clock}
	for _, z := range o.Zones {
		w.zones = append(w.zones, &zone{z.ID, z.Name})
	}
	for _, d := range o.DiskOfferings {
		w.diskOffers = append(w.diskOffers, &diskOffering{d.ID, d.Name, d.SizeGB, d.Customized})
	}
	for _, so := range o.ServiceOfferings {
		w.svcOffers = append(w.svcOffers, &serviceOffering{so.ID, so.Name, so.CPUs, so.MHz, so.Memory})
	}
	for _, t := range o.OSTypes {
		w.osTypes = append(w.osTypes, &osType{t.ID, t.Description, t.Category})
	}
	for _, t := range o.Templates {
		w.templates = append(w.templates, &template{id: t.ID, name: t.Name, displaytext: t.DisplayText, ostypeid: t.OSTypeID,
			zoneid: t.ZoneID, size: t.Size, ready: t.Ready, featured: t.Featured, created: t.Created, content: t.Content,
			sourceSnapshot: t.SourceSnapshot})
	}
	for _, m := range o.VMs {
		w.vms = append(w.vms, &vm{id: m.ID, name: m.Name, displayname: m.DisplayName, state: m.State, zoneid: m.ZoneID,
			templateid: m.TemplateID, svcid: m.ServiceID, group: m.Group, ip: m.IP, userdata: m.UserData, created: m.Created})
	}
	for _, v := range o.Volumes {
		w.volumes = append(w.volumes, volumeFromJSON(v))
	}
	for _, sn := range o.Snapshots {
		w.snapshots = append(w.snapshots, &snapshot{id: sn.ID, name: sn.Name, volumeid: sn.VolumeID, state: sn.State,
			zoneid: sn.ZoneID, size: sn.Size, created: sn.Created, content: sn.Content})
	}
	for _, jj := range o.Jobs {
		j := &job{id: jj.ID, api: jj.API, cmdClass: cmdClass(jj.API), instanceType: jj.InstanceType, instanceID: jj.InstanceID,
			created: jj.Created, due: jj.Due, status: jj.Status, resultCode: jj.ResultCode, fault: jj.Fault,
			vmID: jj.VMID, device: jj.Device, first: jj.First, start: jj.Start, expunge: jj.Expunge}
		if jj.Completed != nil {
			j.completed = *jj.Completed
		}
		if jj.ShownCreated != nil {
			j.shownCreated = *jj.ShownCreated
		}
		if jj.ShownDone != nil {
			j.shownDone = *jj.ShownDone
		}
		if len(jj.Result) > 0 && !bytes.Equal(jj.Result, []byte("null")) {
			dec := json.NewDecoder(bytes.NewReader(jj.Result))
			dec.UseNumber() // numbers come back as they were answered
			if err := dec.Decode(&j.result); err != nil {
				return nil, fmt.Errorf("job %s: result: %w", jj.ID, err)
			}
		}
		for _, st := range jj.Stages {
			j.stages = append(j.stages, stage{st.At, st.State})
		}
		if jj.Root != nil {
			j.root = volumeFromJSON(*jj.Root)
		}
		w.jobs = append(w.jobs, j)
	}
	return w, nil
}
