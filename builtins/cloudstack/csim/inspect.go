package csim

import "fmt"

// Workstation is the display name of the running VM the simulated host
// stands for: commands run by a recipe under --sim run "on" it.
const Workstation = "my-workstation"

// SetClock replaces the clock, e.g. with the run's scaled clock once it is
// known. Jobs already started keep their simulated deadlines.
func (s *Server) SetClock(c Clock) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loaded { // a loaded world's time goes on from where it is
		before := s.now()
		s.clock, s.offset = c, before.Sub(c.Now())
		return
	}
	s.clock = c
}

// WriteDisk stores data as the content of the volume attached at deviceID
// to the VM with display name vmName: what the coreos-install fake does to
// /dev/sdX. The content travels on to snapshots, templates and VMs.
func (s *Server) WriteDisk(vmName string, deviceID int, data string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	for _, m := range s.w.vms {
		if m.displayname != vmName || m.state == "Expunged" {
			continue
		}
		for _, v := range s.w.volumesOf(m.id) {
			if v.deviceid == deviceID && v.state == "Ready" {
				v.content = data
				return nil
			}
		}
		return fmt.Errorf("no disk at device id %d on %s", deviceID, vmName)
	}
	return fmt.Errorf("no virtual machine named %s", vmName)
}

// TemplateContent returns what was installed on the disk a template was
// made from.
func (s *Server) TemplateContent(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	if t := s.w.template(id); t != nil {
		return t.content, true
	}
	return "", false
}

// UserData returns the decoded user data a VM was deployed with.
func (s *Server) UserData(vmID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	if m := s.w.vm(vmID); m != nil {
		return m.userdata, true
	}
	return "", false
}

// Disk is a volume as the VM it is attached to sees it: the block device
// at its device id, with its size and whether anything was written to it.
type Disk struct {
	DeviceID int
	VolumeID string
	Size     int64
	Written  bool // coreos-install wrote an image (a GPT partition table) to it
}

// Disks lists the volumes attached to the running VM with display name
// vmName (the simulated host's own disks). It does not move the cloud's
// clock (the host asks before every command): a disk shows once an API
// call saw its attach job finish.
func (s *Server) Disks(vmName string) []Disk {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Disk
	for _, m := range s.w.vms {
		if m.displayname != vmName || m.state == "Expunged" || m.state == "Destroyed" {
			continue
		}
		for _, v := range s.w.volumesOf(m.id) {
			if v.state == "Ready" && v.vmid == m.id {
				out = append(out, Disk{DeviceID: v.deviceid, VolumeID: v.id, Size: v.size, Written: v.content != ""})
			}
		}
		break
	}
	return out
}
