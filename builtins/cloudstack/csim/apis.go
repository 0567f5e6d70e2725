package csim

import "sort"

// api describes one command: what listApis reports and how it is served.
type api struct {
	name     string
	async    bool
	desc     string
	params   []param
	response []string // fields of the response object, for listApis
	handle   func(s *Server, p args) (obj, *apiError)
}

type param struct {
	name, typ string
	required  bool
	desc      string
}

// length is the longest value the server accepts: user data is base64 of
// up to 32 KiB of cloud-config (as on 4.x); other strings 255.
func (p param) length() int {
	if p.name == "userdata" {
		return 32768
	}
	return 255
}

func req(name, typ, desc string) param { return param{name, typ, true, desc} }
func opt(name, typ, desc string) param { return param{name, typ, false, desc} }

var (
	listParams = []param{opt("id", "uuid", "the ID of the resource"), opt("name", "string", "the name of the resource"),
		opt("keyword", "string", "List by keyword"), opt("page", "integer", "the page number"),
		opt("pagesize", "integer", "the number of items per page"), opt("listall", "boolean", "list all resources the caller may see")}
	volumeFields   = []string{"id", "name", "type", "state", "size", "zoneid", "diskofferingid", "virtualmachineid", "vmname", "deviceid"}
	snapshotFields = []string{"id", "name", "volumeid", "state", "snapshottype", "intervaltype", "zoneid", "physicalsize"}
	templateFields = []string{"id", "name", "displaytext", "isready", "status", "ostypeid", "zoneid", "size", "format"}
	vmFields       = []string{"id", "name", "displayname", "state", "zoneid", "templateid", "serviceofferingid", "nic"}
)

func withList(extra ...param) []param { return append(append([]param{}, listParams...), extra...) }

// apiTable is the command table the server serves.
func apiTable() []*api {
	return []*api{
		{name: "listApis", desc: "lists all available apis on the server", params: []param{opt("name", "string", "API name")},
			response: []string{"name", "description", "isasync", "params", "response"}, handle: (*Server).listApis},
		{name: "listZones", desc: "Lists zones", params: withList(opt("available", "boolean", "only zones the caller can deploy to")),
			response: []string{"id", "name", "allocationstate", "networktype"}, handle: (*Server).listZones},
		{name: "listDiskOfferings", desc: "Lists all available disk offerings.", params: withList(opt("zoneid", "uuid", "the zone")),
			response: []string{"id", "name", "disksize", "iscustomized", "storagetype"}, handle: (*Server).listDiskOfferings},
		{name: "listServiceOfferings", desc: "Lists all available service offerings.", params: withList(opt("zoneid", "uuid", "the zone")),
			response: []string{"id", "name", "cpunumber", "cpuspeed", "memory"}, handle: (*Server).listServiceOfferings},
		{name: "listOsTypes", desc: "Lists all supported OS types for this cloud.", params: withList(opt("description", "string", "list by OS type description")),
			response: []string{"id", "description", "oscategoryid"}, handle: (*Server).listOsTypes},
		{name: "listTemplates", desc: "List all public, private, and privileged templates.",
			params:   withList(req("templatefilter", "string", "featured, self, selfexecutable, sharedexecutable, executable or community"), opt("zoneid", "uuid", "the zone")),
			response: templateFields, handle: (*Server).listTemplates},
		{name: "listVirtualMachines", desc: "List the virtual machines owned by the account.",
			params:   withList(opt("zoneid", "uuid", "the zone"), opt("state", "string", "state of the virtual machine"), opt("templateid", "uuid", "the template")),
			response: vmFields, handle: (*Server).listVirtualMachines},
		{name: "listVolumes", desc: "Lists all volumes.",
			params:   withList(opt("virtualmachineid", "uuid", "the VM the volume is attached to"), opt("type", "string", "ROOT or DATADISK"), opt("zoneid", "uuid", "the zone")),
			response: volumeFields, handle: (*Server).listVolumes},
		{name: "listSnapshots", desc: "Lists all available snapshots for the account.", params: withList(opt("volumeid", "uuid", "the volume")),
			response: snapshotFields, handle: (*Server).listSnapshots},
		{name: "listAsyncJobs", desc: "Lists all pending asynchronous jobs for the account.", params: withList(opt("startdate", "date", "jobs started on or after")),
			response: []string{"jobid", "jobstatus", "cmd", "jobresultcode", "jobinstancetype", "jobinstanceid"}, handle: (*Server).listAsyncJobs},
		{name: "queryAsyncJobResult", desc: "Retrieves the current status of asynchronous job.", params: []param{req("jobid", "uuid", "the ID of the asynchronous job")},
			response: []string{"jobid", "jobstatus", "jobprocstatus", "jobresultcode", "jobresulttype", "jobresult", "cmd", "created", "completed"}, handle: (*Server).queryAsyncJobResult},
		{name: "createVolume", async: true, desc: "Creates a disk volume from a disk offering.",
			params: []param{opt("name", "string", "the name of the disk volume"), opt("diskofferingid", "uuid", "the disk offering"),
				opt("size", "long", "size in GB for a custom disk offering"), opt("zoneid", "uuid", "the zone"), opt("snapshotid", "uuid", "the snapshot to create the volume from")},
			response: volumeFields, handle: (*Server).createVolume},
		{name: "attachVolume", async: true, desc: "Attaches a disk volume to a virtual machine.",
			params:   []param{req("id", "uuid", "the ID of the disk volume"), req("virtualmachineid", "uuid", "the virtual machine"), opt("deviceid", "long", "the device ID")},
			response: volumeFields, handle: (*Server).attachVolume},
		{name: "detachVolume", async: true, desc: "Detaches a disk volume from a virtual machine.",
			params:   []param{opt("id", "uuid", "the ID of the disk volume"), opt("virtualmachineid", "uuid", "the virtual machine"), opt("deviceid", "long", "the device ID")},
			response: volumeFields, handle: (*Server).detachVolume},
		{name: "deleteVolume", desc: "Deletes a detached disk volume.", params: []param{req("id", "uuid", "the ID of the disk volume")},
			response: []string{"success", "displaytext"}, handle: (*Server).deleteVolume},
		{name: "createSnapshot", async: true, desc: "Creates an instant snapshot of a volume.",
			params:   []param{req("volumeid", "uuid", "the volume"), opt("name", "string", "the name of the snapshot")},
			response: snapshotFields, handle: (*Server).createSnapshot},
		{name: "deleteSnapshot", async: true, desc: "Deletes a snapshot of a disk volume.", params: []param{req("id", "uuid", "the snapshot")},
			response: []string{"success", "displaytext"}, handle: (*Server).deleteSnapshot},
		{name: "createTemplate", async: true, desc: "Creates a template of a virtual machine from a volume or a snapshot.",
			params: []param{req("name", "string", "the name of the template"), req("displaytext", "string", "the display text of the template"),
				req("ostypeid", "uuid", "the OS type"), opt("snapshotid", "uuid", "the snapshot"), opt("volumeid", "uuid", "the volume")},
			response: templateFields, handle: (*Server).createTemplate},
		{name: "deleteTemplate", async: true, desc: "Deletes a template from the system.", params: []param{req("id", "uuid", "the template")},
			response: []string{"success", "displaytext"}, handle: (*Server).deleteTemplate},
		{name: "deployVirtualMachine", async: true, desc: "Creates and automatically starts a virtual machine based on a service offering, disk offering, and template.",
			params: []param{req("zoneid", "uuid", "the zone"), req("templateid", "uuid", "the template"), req("serviceofferingid", "uuid", "the service offering"),
				opt("name", "string", "host name of the virtual machine"), opt("displayname", "string", "display name"), opt("group", "string", "group"),
				opt("userdata", "string", "base64-encoded user data (cloud-config)"), opt("startvm", "boolean", "start the VM (default true)")},
			response: vmFields, handle: (*Server).deployVirtualMachine},
		{name: "destroyVirtualMachine", async: true, desc: "Destroys a virtual machine.",
			params:   []param{req("id", "uuid", "the virtual machine"), opt("expunge", "boolean", "expunge immediately")},
			response: vmFields, handle: (*Server).destroyVirtualMachine},
	}
}

// APINames lists the commands the simulator serves, sorted.
func APINames() []string {
	var names []string
	for _, a := range apiTable() {
		names = append(names, a.name)
	}
	sort.Strings(names)
	return names
}

// listApis answers what cloudmonkey's `sync` needs: name, isasync,
// description, params and response of every command.
func (s *Server) listApis(p args) (obj, *apiError) {
	var out []any
	for _, a := range s.apis {
		if n := p.get("name"); n != "" && n != a.name {
			continue
		}
		var ps, rs []any
		for _, prm := range a.params {
			ps = append(ps, obj{"name": prm.name, "type": prm.typ, "required": prm.required, "description": prm.desc, "length": prm.length()})
		}
		for _, f := range a.response {
			rs = append(rs, obj{"name": f, "type": "string", "description": f})
		}
		out = append(out, obj{"name": a.name, "isasync": a.async, "description": a.desc, "since": "4.0.0",
			"params": ps, "response": rs, "related": "", "type": "user"})
	}
	if len(out) == 0 {
		return nil, paramError("The API [%s] does not exist or is not available for this account.", p.get("name"))
	}
	return obj{"count": len(out), "api": out}, nil
}
