package csim

import (
	"time"
)

// The JSON shapes below follow the server's response classes (ZoneResponse,
// VolumeResponse, ...) closely enough for clients that read them; only the
// fields an account user sees are included.

const dateLayout = "2006-01-02T15:04:05-0700"

func date(t time.Time) string { return t.UTC().Format(dateLayout) }

type obj = map[string]any

func (w *world) zoneJSON(z *zone) obj {
	return obj{"id": z.id, "name": z.name, "allocationstate": "Enabled", "networktype": "Advanced",
		"securitygroupsenabled": false, "localstorageenabled": false}
}

func (w *world) diskOfferingJSON(d *diskOffering) obj {
	return obj{"id": d.id, "name": d.name, "displaytext": d.name, "disksize": d.sizeGB,
		"iscustomized": d.customized, "storagetype": "shared", "created": "2014-01-01T00:00:00+0000"}
}

func (w *world) serviceOfferingJSON(s *serviceOffering) obj {
	return obj{"id": s.id, "name": s.name, "displaytext": s.name, "cpunumber": s.cpus, "cpuspeed": s.mhz,
		"memory": s.mem, "storagetype": "shared", "offerha": false}
}

func (w *world) osTypeJSON(o *osType) obj {
	return obj{"id": o.id, "description": o.description, "oscategoryid": o.category, "isuserdefined": false}
}

func (w *world) templateJSON(t *template) obj {
	o := obj{"id": t.id, "name": t.name, "displaytext": t.displaytext, "ostypeid": t.ostypeid,
		"zoneid": t.zoneid, "isready": t.ready, "isfeatured": t.featured, "ispublic": t.featured,
		"isextractable": false, "passwordenabled": false, "templatetype": "USER", "format": "QCOW2",
		"hypervisor": "KVM", "account": "admin", "created": date(t.created), "crossZones": false}
	if ot := w.osType(t.ostypeid); ot != nil {
		o["ostypename"] = ot.description
	}
	if z := w.zone(t.zoneid); z != nil {
		o["zonename"] = z.name
	}
	if t.featured {
		o["templatetype"] = "BUILTIN"
	}
	if t.ready {
		o["status"] = "Download Complete"
		o["size"] = t.size
	} else {
		o["status"] = "Creating template from snapshot"
	}
	if t.sourceSnapshot != "" {
		o["sourcesnapshotid"] = t.sourceSnapshot
	}
	return o
}

func (w *world) vmJSON(v *vm) obj {
	o := obj{"id": v.id, "name": v.name, "displayname": v.displayname, "state": v.state,
		"zoneid": v.zoneid, "templateid": v.templateid, "serviceofferingid": v.svcid,
		"account": "admin", "created": date(v.created), "haenable": false, "hypervisor": "KVM",
		"nic": []any{obj{"id": v.id[:8] + "-nic0", "ipaddress": v.ip, "isdefault": true, "networkid": "net-" + v.zoneid[:8]}}}
	if v.group != "" {
		o["group"] = v.group
	}
	if z := w.zone(v.zoneid); z != nil {
		o["zonename"] = z.name
	}
	if t := w.template(v.templateid); t != nil {
		o["templatename"] = t.name
	}
	if s := w.serviceOffering(v.svcid); s != nil {
		o["serviceofferingname"], o["cpunumber"], o["memory"] = s.name, s.cpus, s.mem
	}
	return o
}

func (w *world) volumeJSON(v *volume) obj {
	o := obj{"id": v.id, "name": v.name, "type": v.vtype, "state": v.state, "zoneid": v.zoneid,
		"size": v.size, "created": date(v.created), "storagetype": "shared", "isextractable": false,
		"account": "admin", "destroyed": false}
	if v.state == "Allocated" {
		o["storage"] = "none"
	}
	if d := w.diskOffering(v.diskofferingid); d != nil {
		o["diskofferingid"], o["diskofferingname"], o["diskofferingdisplaytext"] = d.id, d.name, d.name
	}
	if m := w.vm(v.vmid); m != nil {
		o["virtualmachineid"], o["vmname"], o["vmdisplayname"], o["vmstate"] = m.id, m.name, m.displayname, m.state
		o["deviceid"] = v.deviceid
	}
	if z := w.zone(v.zoneid); z != nil {
		o["zonename"] = z.name
	}
	return o
}

func (w *world) snapshotJSON(s *snapshot) obj {
	o := obj{"id": s.id, "name": s.name, "volumeid": s.volumeid, "state": s.state, "zoneid": s.zoneid,
		"snapshottype": "MANUAL", "intervaltype": "MANUAL", "created": date(s.created),
		"physicalsize": s.size, "virtualsize": s.size, "account": "admin"}
	if v := w.volume(s.volumeid); v != nil {
		o["volumename"], o["volumetype"] = v.name, v.vtype
	}
	return o
}
