package csim

import (
	"crypto/sha1"
	"fmt"
	"time"
)

// world is the simulated cloud: one account's view of zones, offerings,
// templates, VMs, volumes, snapshots and jobs. The Server's mutex guards it.
type world struct {
	seq        int
	zones      []*zone
	diskOffers []*diskOffering
	svcOffers  []*serviceOffering
	osTypes    []*osType
	templates  []*template
	vms        []*vm
	volumes    []*volume
	snapshots  []*snapshot
	jobs       []*job
	last       time.Time // simulated time of the last request
}

// The "created" times of objects are wall-clock times (what clients see);
// a job's created and due are simulated times, see job.

type zone struct{ id, name string }

type diskOffering struct {
	id, name   string
	sizeGB     int64 // 0 for the custom offering
	customized bool
}

type serviceOffering struct {
	id, name       string
	cpus, mhz, mem int
}

type osType struct {
	id, description, category string
}

type template struct {
	id, name, displaytext, ostypeid, zoneid string
	size                                    int64
	ready, featured                         bool
	created                                 time.Time
	content                                 string // what coreos-install wrote, carried to VMs
	sourceSnapshot                          string
}

type vm struct {
	id, name, displayname, state, zoneid, templateid, svcid, group string
	ip                                                             string
	userdata                                                       string // decoded
	created                                                        time.Time
}

type volume struct {
	id, name, vtype, state, zoneid, diskofferingid string
	size                                           int64
	vmid                                           string
	deviceid                                       int
	created                                        time.Time
	content                                        string
	busy                                           string // job id of an operation in flight
	// attaching and attachDev hold the VM and device id an attach job in
	// flight has reserved: parallel attaches to one VM get distinct ids.
	attaching string
	attachDev int
}

type snapshot struct {
	id, name, volumeid, state, zoneid string
	size                              int64
	created                           time.Time
	content                           string
}

// newID returns a deterministic UUID-shaped id, so runs are reproducible
// and ids look like the server's. The counter is saved with the world, so
// ids continue after a reload; one already in use (a hand-edited world
// file) is skipped rather than given twice.
func (w *world) newID(kind string) string {
	for {
		w.seq++
		x := fmt.Sprintf("%x", sha1.Sum([]byte(fmt.Sprintf("%s/%d", kind, w.seq))))
		id := x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-8" + x[17:20] + "-" + x[20:32]
		if !w.used(id) {
			return id
		}
	}
}

// used reports whether any object of the world has id.
func (w *world) used(id string) bool {
	found := false
	w.eachID(func(_, have string) { found = found || have == id })
	return found
}

// eachID calls fn with the kind and id of every object, jobs and the root
// volumes of deploys in flight included.
func (w *world) eachID(fn func(kind, id string)) {
	for _, z := range w.zones {
		fn("zone", z.id)
	}
	for _, d := range w.diskOffers {
		fn("disk offering", d.id)
	}
	for _, o := range w.svcOffers {
		fn("service offering", o.id)
	}
	for _, o := range w.osTypes {
		fn("OS type", o.id)
	}
	for _, t := range w.templates {
		fn("template", t.id)
	}
	for _, m := range w.vms {
		fn("virtual machine", m.id)
	}
	for _, v := range w.volumes {
		fn("volume", v.id)
	}
	for _, sn := range w.snapshots {
		fn("snapshot", sn.id)
	}
	for _, j := range w.jobs {
		fn("job", j.id)
		if j.root != nil {
			fn("volume", j.root.id)
		}
	}
}

// seed builds the world the seed note worked in: a zone, the "Custom Disk"
// offering, "Other Linux (64-bit)", and a running "my-workstation" that
// already has two data disks, so the next attach lands on /dev/sdd. now
// is the simulated time, shown the wall time its objects were created.
func (w *world) seed(now, shown time.Time) {
	w.last = now
	z1 := &zone{id: w.newID("zone"), name: "zone1"}
	z2 := &zone{id: w.newID("zone"), name: "zone2"}
	w.zones = []*zone{z1, z2}
	w.diskOffers = []*diskOffering{
		{id: w.newID("diskoffering"), name: "Custom Disk", customized: true},
		{id: w.newID("diskoffering"), name: "Small", sizeGB: 5},
		{id: w.newID("diskoffering"), name: "Medium", sizeGB: 20},
		{id: w.newID("diskoffering"), name: "Large", sizeGB: 100},
	}
	w.svcOffers = []*serviceOffering{
		{id: w.newID("serviceoffering"), name: "Small Instance", cpus: 1, mhz: 1000, mem: 1024},
		{id: w.newID("serviceoffering"), name: "Medium Instance", cpus: 2, mhz: 2000, mem: 4096},
	}
	for _, d := range []string{"CentOS 6.5 (64-bit)", "Ubuntu 14.04 (64-bit)", "Other Linux (32-bit)", "Other Linux (64-bit)", "Windows Server 2012 (64-bit)"} {
		w.osTypes = append(w.osTypes, &osType{id: w.newID("ostype"), description: d, category: "Linux"})
	}
	centos := &template{id: w.newID("template"), name: "CentOS 6.5 64-bit", displaytext: "CentOS 6.5 64-bit",
		ostypeid: w.osTypes[0].id, zoneid: z1.id, size: 20 << 30, ready: true, featured: true, created: shown}
	w.templates = []*template{centos}
	ws := &vm{id: w.newID("vm"), name: "i-2-53553-VM", displayname: "my-workstation", state: "Running",
		zoneid: z1.id, templateid: centos.id, svcid: w.svcOffers[0].id, ip: "10.1.0.10", created: shown}
	w.vms = []*vm{ws}
	w.volumes = append(w.volumes, &volume{id: w.newID("volume"), name: "ROOT-53553", vtype: "ROOT", state: "Ready",
		zoneid: z1.id, size: 80 << 30, vmid: ws.id, deviceid: 0, created: shown})
	for i, size := range []int64{100 << 30, 40 << 30} {
		w.volumes = append(w.volumes, &volume{id: w.newID("volume"), name: fmt.Sprintf("data%d", i+1), vtype: "DATADISK",
			state: "Ready", zoneid: z1.id, diskofferingid: w.diskOffers[0].id, size: size, vmid: ws.id, deviceid: i + 1, created: shown})
	}
}

func (w *world) zone(id string) *zone {
	for _, z := range w.zones {
		if z.id == id {
			return z
		}
	}
	return nil
}

func (w *world) vm(id string) *vm {
	for _, v := range w.vms {
		if v.id == id && v.state != "Expunged" {
			return v
		}
	}
	return nil
}

// vmByID finds a VM whatever its state, expunged too (a job on it ends).
func (w *world) vmByID(id string) *vm {
	for _, v := range w.vms {
		if v.id == id {
			return v
		}
	}
	return nil
}

func (w *world) volume(id string) *volume {
	for _, v := range w.volumes {
		if v.id == id {
			return v
		}
	}
	return nil
}

func (w *world) snapshot(id string) *snapshot {
	for _, s := range w.snapshots {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (w *world) template(id string) *template {
	for _, t := range w.templates {
		if t.id == id {
			return t
		}
	}
	return nil
}

func (w *world) osType(id string) *osType {
	for _, o := range w.osTypes {
		if o.id == id {
			return o
		}
	}
	return nil
}

func (w *world) diskOffering(id string) *diskOffering {
	for _, d := range w.diskOffers {
		if d.id == id {
			return d
		}
	}
	return nil
}

func (w *world) serviceOffering(id string) *serviceOffering {
	for _, s := range w.svcOffers {
		if s.id == id {
			return s
		}
	}
	return nil
}

// usedDevices are the device ids of a VM's attached volumes and of the
// attaches in flight to it.
func (w *world) usedDevices(vmid string) map[int]bool {
	used := map[int]bool{}
	for _, v := range w.volumes {
		if v.vmid == vmid {
			used[v.deviceid] = true
		}
		if v.attaching == vmid {
			used[v.attachDev] = true
		}
	}
	return used
}

// volumesOf lists the volumes attached to a VM.
func (w *world) volumesOf(vmid string) []*volume {
	var out []*volume
	for _, v := range w.volumes {
		if v.vmid == vmid {
			out = append(out, v)
		}
	}
	return out
}

func (w *world) removeVolume(id string) {
	for i, v := range w.volumes {
		if v.id == id {
			w.volumes = append(w.volumes[:i], w.volumes[i+1:]...)
			return
		}
	}
}
