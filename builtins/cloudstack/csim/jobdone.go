package csim

import "fmt"

// What an async job does when it ends, by API. Jobs find their objects by
// id rather than holding pointers or closures, so a job saved with the
// world (--sim-state) completes the same way after a reload.

// enter moves the job's instance to an intermediate state (stage).
func (s *Server) enter(j *job, state string) {
	switch j.instanceType {
	case "Snapshot":
		if sn := s.w.snapshot(j.instanceID); sn != nil {
			sn.state = state
		}
	case "VirtualMachine":
		if m := s.w.vmByID(j.instanceID); m != nil {
			m.state = state
		}
	}
}

// gone is the error of a job whose object vanished while it ran.
func gone(j *job, kind, id string) *apiError {
	return &apiError{530, 4250, fmt.Sprintf("%s %s no longer exists; job %s (%s) cannot complete", kind, id, j.id, j.api)}
}

// finish applies a job's effect at its due time: the success result or an
// error (then undo runs).
func (s *Server) finish(j *job) (obj, *apiError) {
	switch j.api {
	case "createVolume", "attachVolume", "detachVolume":
		v := s.w.volume(j.instanceID)
		if v == nil {
			return nil, gone(j, "volume", j.instanceID)
		}
		switch j.api {
		case "attachVolume":
			m := s.w.vmByID(j.vmID)
			if m == nil || m.state == "Destroyed" || m.state == "Expunged" {
				name := j.vmID
				if m != nil {
					name = m.name
				}
				return nil, paramError("VM %s was destroyed while volume %s was being attached", name, v.name)
			}
			v.state, v.vmid, v.deviceid, v.busy = "Ready", m.id, j.device, ""
			v.attaching, v.attachDev = "", 0
		case "detachVolume":
			v.vmid, v.deviceid, v.busy = "", 0, ""
		}
		return obj{"volume": s.w.volumeJSON(v)}, nil
	case "createSnapshot":
		sn := s.w.snapshot(j.instanceID)
		if sn == nil {
			return nil, gone(j, "snapshot", j.instanceID)
		}
		sn.state = "BackedUp"
		if v := s.w.volume(sn.volumeid); v != nil && v.busy == j.id {
			v.busy = ""
		}
		return obj{"snapshot": s.w.snapshotJSON(sn)}, nil
	case "deleteSnapshot":
		for i, o := range s.w.snapshots {
			if o.id == j.instanceID {
				s.w.snapshots = append(s.w.snapshots[:i], s.w.snapshots[i+1:]...)
				break
			}
		}
		return obj{"success": true}, nil
	case "createTemplate":
		t := s.w.template(j.instanceID)
		if t == nil {
			return nil, gone(j, "template", j.instanceID)
		}
		t.ready = true
		return obj{"template": s.w.templateJSON(t)}, nil
	case "deleteTemplate":
		s.removeTemplate(j.instanceID)
		return obj{"success": true}, nil
	case "deployVirtualMachine":
		m := s.w.vmByID(j.instanceID)
		if m == nil || j.root == nil {
			return nil, gone(j, "virtual machine", j.instanceID)
		}
		root := j.root
		j.root = nil // in the world from now on
		root.state, root.vmid = "Ready", m.id
		s.w.volumes = append(s.w.volumes, root)
		if j.start {
			m.state = "Running"
		}
		return obj{"virtualmachine": s.w.vmJSON(m)}, nil
	case "destroyVirtualMachine":
		m := s.w.vmByID(j.instanceID)
		if m == nil {
			return nil, gone(j, "virtual machine", j.instanceID)
		}
		m.state = "Destroyed"
		res := obj{"virtualmachine": s.w.vmJSON(m)}
		if j.expunge {
			m.state = "Expunged"
			for _, v := range s.w.volumesOf(m.id) {
				if v.vtype == "ROOT" {
					s.w.removeVolume(v.id)
				} else {
					v.vmid, v.deviceid = "", 0
				}
			}
		}
		return res, nil
	}
	return nil, &apiError{530, 4250, fmt.Sprintf("job %s: the simulator cannot complete %s", j.id, j.api)}
}

// undo reverts or marks Error what a failed or cancelled job left.
func (s *Server) undo(j *job) {
	switch j.api {
	case "createVolume":
		s.w.removeVolume(j.instanceID)
	case "attachVolume":
		if v := s.w.volume(j.instanceID); v != nil {
			v.busy, v.attaching, v.attachDev = "", "", 0
			if j.first {
				v.state = "Allocated"
			} else {
				v.state = "Ready"
			}
		}
	case "detachVolume":
		if v := s.w.volume(j.instanceID); v != nil {
			v.busy = ""
		}
	case "createSnapshot":
		if sn := s.w.snapshot(j.instanceID); sn != nil {
			sn.state = "Error"
			if v := s.w.volume(sn.volumeid); v != nil && v.busy == j.id {
				v.busy = ""
			}
		}
	case "createTemplate":
		s.removeTemplate(j.instanceID)
	case "deployVirtualMachine":
		if m := s.w.vmByID(j.instanceID); m != nil {
			m.state = "Error"
		}
	}
}
