package csim

import (
	"encoding/base64"
	"fmt"
	"strings"
)

func (s *Server) createTemplate(p args) (obj, *apiError) {
	ot := s.w.osType(p.get("ostypeid"))
	if ot == nil {
		return nil, badID("createTemplate", "ostypeid", p.get("ostypeid"))
	}
	t := &template{id: s.w.newID("template"), name: p.get("name"), displaytext: p.get("displaytext"),
		ostypeid: ot.id, created: s.shown()}
	switch snapID, volID := p.get("snapshotid"), p.get("volumeid"); {
	case snapID != "":
		sn := s.w.snapshot(snapID)
		if sn == nil {
			return nil, badID("createTemplate", "snapshotid", snapID)
		}
		if sn.state != "BackedUp" {
			return nil, paramError("Snapshot %s is not in BackedUp state yet (%s) and can't be used for template creation", sn.id, sn.state)
		}
		t.zoneid, t.size, t.content, t.sourceSnapshot = sn.zoneid, sn.size, sn.content, sn.id
	case volID != "":
		v := s.w.volume(volID)
		if v == nil {
			return nil, badID("createTemplate", "volumeid", volID)
		}
		if m := s.w.vm(v.vmid); m != nil && m.state != "Stopped" {
			return nil, paramError("VM %s is not in Stopped state; stop it before creating a template from its volume", m.name)
		}
		if v.state != "Ready" {
			return nil, paramError("Volume %s is not in Ready state but %s", v.id, v.state)
		}
		t.zoneid, t.size, t.content = v.zoneid, v.size, v.content
	default:
		return nil, paramError("Failed to create template: either snapshotid or volumeid has to be passed")
	}
	s.w.templates = append(s.w.templates, t)
	j := s.startJob("createTemplate", "Template", t.id, s.dur["createTemplate"])
	return asyncBody(t.id, j), nil
}

func (s *Server) removeTemplate(id string) {
	for i, o := range s.w.templates {
		if o.id == id {
			s.w.templates = append(s.w.templates[:i], s.w.templates[i+1:]...)
			return
		}
	}
}

func (s *Server) deleteTemplate(p args) (obj, *apiError) {
	t := s.w.template(p.get("id"))
	if t == nil {
		return nil, badID("deleteTemplate", "id", p.get("id"))
	}
	if t.featured {
		return nil, &apiError{531, 4365, fmt.Sprintf("Account admin does not have permission to delete template %s", t.name)}
	}
	j := s.startJob("deleteTemplate", "Template", t.id, s.dur["deleteTemplate"])
	return asyncBody("", j), nil
}

func (s *Server) deployVirtualMachine(p args) (obj, *apiError) {
	z := s.w.zone(p.get("zoneid"))
	if z == nil {
		return nil, badID("deployVirtualMachine", "zoneid", p.get("zoneid"))
	}
	t := s.w.template(p.get("templateid"))
	if t == nil {
		return nil, badID("deployVirtualMachine", "templateid", p.get("templateid"))
	}
	so := s.w.serviceOffering(p.get("serviceofferingid"))
	if so == nil {
		return nil, badID("deployVirtualMachine", "serviceofferingid", p.get("serviceofferingid"))
	}
	if !t.ready {
		return nil, &apiError{530, 4250, fmt.Sprintf("Template %s has not been completely downloaded to zone %s", t.id, z.name)}
	}
	if t.zoneid != z.id {
		return nil, paramError("Template %s is not available in zone %s", t.name, z.name)
	}
	var userdata string
	if ud := p.get("userdata"); ud != "" {
		raw, err := base64.StdEncoding.DecodeString(ud)
		if err != nil {
			return nil, paramError("User data is not base64 encoded")
		}
		userdata = string(raw)
	}
	m := &vm{id: s.w.newID("vm"), zoneid: z.id, templateid: t.id, svcid: so.id, state: "Stopped",
		group: p.get("group"), userdata: userdata, created: s.shown()}
	m.name = p.get("name")
	if m.name == "" {
		m.name = "VM-" + m.id
	}
	m.displayname = p.get("displayname")
	if m.displayname == "" {
		m.displayname = m.name
	}
	m.ip = fmt.Sprintf("10.1.0.%d", 10+len(s.w.vms))
	s.w.vms = append(s.w.vms, m)
	root := &volume{id: s.w.newID("volume"), name: "ROOT-" + strings.TrimPrefix(m.name, "VM-"), vtype: "ROOT",
		state: "Allocated", zoneid: z.id, size: t.size, created: s.shown(), content: t.content}
	start := strings.ToLower(p.get("startvm")) != "false"
	j := s.startJob("deployVirtualMachine", "VirtualMachine", m.id, s.dur["deployVirtualMachine"])
	j.root, j.start = root, start
	if start {
		j.at(0.1, "Starting")
	}
	return asyncBody(m.id, j), nil
}

func (s *Server) destroyVirtualMachine(p args) (obj, *apiError) {
	m := s.w.vm(p.get("id"))
	if m == nil {
		return nil, badID("destroyVirtualMachine", "id", p.get("id"))
	}
	if m.state == "Destroyed" {
		return nil, paramError("Unable to destroy VM %s: it is already destroyed", m.name)
	}
	expunge := strings.ToLower(p.get("expunge")) == "true"
	j := s.startJob("destroyVirtualMachine", "VirtualMachine", m.id, s.dur["destroyVirtualMachine"])
	j.expunge = expunge
	j.at(0.1, "Stopping")
	return asyncBody("", j), nil
}
