package virshsim

import (
	"fmt"
	"sort"
	"strings"

	"libvirt.org/go/libvirtxml"

	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/virsh"
)

var domainCmds = map[string]command{
	"list": listDomains, "domstate": domstate, "dominfo": dominfo, "dumpxml": dumpxml,
	"define": define, "undefine": undefine, "start": start, "autostart": domAutostart,
	"shutdown": transition("shutdown"), "destroy": transition("destroy"), "reboot": transition("reboot"),
	"suspend": transition("suspend"), "resume": transition("resume"),
}

func (s *State) domain(name string) *Domain {
	for _, d := range s.Domains {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// withDomain finds the domain a command names, as virsh reports a miss.
func withDomain(s *State, args []string, f func(d *Domain, opts map[string]string) reply) reply {
	name, opts, given := operand(args, "domain")
	if !given {
		return fail("command requires <domain> option")
	}
	d := s.domain(name)
	if d == nil {
		return fail(fmt.Sprintf("failed to get domain '%s'", name))
	}
	return f(d, opts)
}

func listDomains(_ *sim.Host, s *State, args []string, _ []byte) reply {
	opts, _ := sim.Getopt(args)
	_, all := opts["--all"]
	ds := append([]*Domain(nil), s.Domains...)
	// virsh lists running domains by id, then the others by name.
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if (a.ID > 0) != (b.ID > 0) {
			return a.ID > 0
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Name < b.Name
	})
	var b strings.Builder
	for _, d := range ds {
		if all || d.State != "shut off" {
			b.WriteString(d.Name + "\n")
		}
	}
	return ok("%s", b.String())
}

func domstate(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, opts map[string]string) reply {
		if _, ok := opts["--reason"]; ok {
			return reply{out: fmt.Sprintf("%s (%s)\n", d.State, d.Reason)}
		}
		return reply{out: d.State + "\n"}
	})
}

func dominfo(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, _ map[string]string) reply {
		var def libvirtxml.Domain
		if err := def.Unmarshal(d.XML); err != nil {
			return fail("internal error: " + err.Error())
		}
		id, vcpus, mem, cur := "-", uint(1), uint(0), uint(0)
		if d.ID > 0 {
			id = fmt.Sprint(d.ID)
		}
		if def.VCPU != nil {
			vcpus = def.VCPU.Value
		}
		if def.Memory != nil {
			mem = def.Memory.Value
		}
		if def.CurrentMemory != nil {
			cur = def.CurrentMemory.Value
		}
		autostart := "disable"
		if d.Autostart {
			autostart = "enable"
		}
		kvs := []string{"Id", id, "Name", d.Name, "UUID", d.UUID, "OS Type", def.OS.Type.Type, "State", d.State,
			"CPU(s)", fmt.Sprint(vcpus)}
		if d.ID > 0 {
			kvs = append(kvs, "CPU time", "0.0s")
		}
		kvs = append(kvs, "Max memory", fmt.Sprintf("%d KiB", mem), "Used memory", fmt.Sprintf("%d KiB", cur),
			"Persistent", yesNo(d.Persistent), "Autostart", autostart, "Managed save", "no",
			"Security model", "none", "Security DOI", "0")
		return reply{out: info(kvs...)}
	})
}

func dumpxml(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, _ map[string]string) reply {
		return reply{out: d.XML}
	})
}

func define(h *sim.Host, s *State, args []string, stdin []byte) reply {
	file, data, failed, bad := defDoc(h, args, stdin, "domain")
	if bad != nil {
		return *bad
	}
	var def libvirtxml.Domain
	if err := def.Unmarshal(string(data)); err != nil {
		return fail(failed, "XML error: "+err.Error())
	}
	if def.Name == "" {
		return fail(failed, "missing name information")
	}
	if def.OS == nil || def.OS.Type == nil || def.OS.Type.Type == "" {
		return fail(failed, "XML error: an os <type> must be specified")
	}
	old := s.domain(def.Name)
	switch {
	case old != nil && def.UUID != "" && def.UUID != old.UUID:
		return fail(failed, fmt.Sprintf("operation failed: domain '%s' already exists with uuid %s", def.Name, old.UUID))
	case old != nil:
		def.UUID = old.UUID
	case def.UUID == "":
		def.UUID = s.uuid(def.Name)
	}
	for _, o := range s.Domains {
		if o.UUID == def.UUID && o.Name != def.Name {
			return fail(failed, fmt.Sprintf("operation failed: domain '%s' is already defined with uuid %s", o.Name, o.UUID))
		}
	}
	if err := kibMemory(&def); err != nil {
		return fail(failed, "invalid argument: "+err.Error())
	}
	s.fillDevices(&def)
	out, err := def.Marshal()
	if err == nil {
		out, err = libvirtStyle(out)
	}
	if err != nil {
		return fail(failed, "internal error: "+err.Error())
	}
	if old != nil {
		old.XML, old.Persistent = out, true
	} else {
		s.Domains = append(s.Domains, &Domain{Name: def.Name, UUID: def.UUID, XML: out, State: "shut off", Reason: "unknown", Persistent: true})
	}
	return ok("Domain '%s' defined from %s\n", def.Name, file)
}

// kibMemory stores memory in KiB, as libvirt does: 1 GB is 976563 KiB.
func kibMemory(def *libvirtxml.Domain) error {
	if def.Memory != nil {
		kib, err := virsh.KiB(uint64(def.Memory.Value), def.Memory.Unit)
		if err != nil {
			return err
		}
		def.Memory = &libvirtxml.DomainMemory{Value: uint(kib), Unit: "KiB"}
	}
	if def.CurrentMemory != nil {
		kib, err := virsh.KiB(uint64(def.CurrentMemory.Value), def.CurrentMemory.Unit)
		if err != nil {
			return err
		}
		def.CurrentMemory = &libvirtxml.DomainCurrentMemory{Value: uint(kib), Unit: "KiB"}
	}
	if def.Memory != nil && (def.CurrentMemory == nil || def.CurrentMemory.Value > def.Memory.Value) {
		def.CurrentMemory = &libvirtxml.DomainCurrentMemory{Value: def.Memory.Value, Unit: "KiB"}
	}
	return nil
}

// fillDevices adds what libvirt's qemu driver adds on define: MACs,
// openvswitch interface ids, a USB controller, a virtio memballoon, and
// PCI addresses (interfaces, then virtio disks, then the balloon, from
// slot 3: the seed's dumpxml).
func (s *State) fillDevices(def *libvirtxml.Domain) {
	if def.Devices == nil {
		def.Devices = &libvirtxml.DomainDeviceList{}
	}
	dv := def.Devices
	slot := uint(3)
	next := func() *libvirtxml.DomainAddress {
		a := pci(slot, 0)
		slot++
		return a
	}
	hasUSB := false
	for _, c := range dv.Controllers {
		hasUSB = hasUSB || c.Type == "usb"
	}
	if !hasUSB {
		zero := uint(0)
		dv.Controllers = append(dv.Controllers, libvirtxml.DomainController{Type: "usb", Index: &zero, Address: pci(1, 2)})
	}
	for i := range dv.Interfaces {
		ifc := &dv.Interfaces[i]
		if ifc.MAC == nil {
			ifc.MAC = &libvirtxml.DomainInterfaceMAC{Address: s.mac(def.Name)}
		}
		if vp := ifc.VirtualPort; vp != nil && vp.Params != nil && vp.Params.OpenVSwitch != nil && vp.Params.OpenVSwitch.InterfaceID == "" {
			vp.Params.OpenVSwitch.InterfaceID = s.uuid(def.Name + "-port")
		}
		if ifc.Address == nil {
			ifc.Address = next()
		}
	}
	for i := range dv.Disks {
		dk := &dv.Disks[i]
		if dk.Target != nil && dk.Target.Bus == "virtio" && dk.Address == nil {
			dk.Address = next()
		}
	}
	if dv.MemBalloon == nil {
		dv.MemBalloon = &libvirtxml.DomainMemBalloon{Model: "virtio"}
	}
	if dv.MemBalloon.Model == "virtio" && dv.MemBalloon.Address == nil {
		dv.MemBalloon.Address = next()
	}
}

func pci(slot, function uint) *libvirtxml.DomainAddress {
	zero, zero2 := uint(0), uint(0)
	return &libvirtxml.DomainAddress{PCI: &libvirtxml.DomainAddressPCI{Domain: &zero, Bus: &zero2, Slot: &slot, Function: &function}}
}

func undefine(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, _ map[string]string) reply {
		if d.State == "shut off" {
			s.remove(d)
		} else {
			d.Persistent = false // runs on as a transient domain
		}
		return ok("Domain '%s' has been undefined\n", d.Name)
	})
}

func (s *State) remove(d *Domain) {
	kept := s.Domains[:0]
	for _, o := range s.Domains {
		if o != d {
			kept = append(kept, o)
		}
	}
	s.Domains = kept
}

func domAutostart(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, opts map[string]string) reply {
		if !d.Persistent {
			return fail(fmt.Sprintf("Failed to mark domain '%s' as autostarted", d.Name), "Requested operation is not valid: cannot set autostart for transient domain")
		}
		_, off := opts["--disable"]
		d.Autostart = !off
		if off {
			return ok("Domain '%s' unmarked as autostarted\n", d.Name)
		}
		return ok("Domain '%s' marked as autostarted\n", d.Name)
	})
}

// start boots a shut off domain; as qemu would, it needs the bridges its
// interfaces name and the networks they use to be active.
func start(h *sim.Host, s *State, args []string, _ []byte) reply {
	return withDomain(s, args, func(d *Domain, _ map[string]string) reply {
		if d.State != "shut off" {
			return fail("Domain is already active")
		}
		var def libvirtxml.Domain
		if err := def.Unmarshal(d.XML); err != nil {
			return fail("internal error: " + err.Error())
		}
		failed := fmt.Sprintf("Failed to start domain '%s'", d.Name)
		if def.Devices != nil {
			for _, ifc := range def.Devices.Interfaces {
				switch src := ifc.Source; {
				case src != nil && src.Bridge != nil:
					// A userspace (netdev) OVS bridge's own port is a tap: libvirt
					// only reads its MTU, then ovs-vsctl add-port does the rest.
					ovsTap := ifc.VirtualPort != nil && ifc.VirtualPort.Params != nil && ifc.VirtualPort.Params.OpenVSwitch != nil
					if l, ok := sim.NetworkOf(h).Link(src.Bridge.Bridge); !ok || (l.Kind != sim.KindBridge && l.Kind != sim.KindOVS && !(ovsTap && l.Kind == sim.KindTap)) {
						return fail(failed, fmt.Sprintf("Cannot get interface MTU on '%s': No such device", src.Bridge.Bridge))
					}
				case src != nil && src.Network != nil:
					n := s.network(src.Network.Network)
					if n == nil {
						return fail(failed, fmt.Sprintf("Network not found: no network with matching name '%s'", src.Network.Network))
					}
					if !n.Active {
						return fail(failed, fmt.Sprintf("Requested operation is not valid: network '%s' is not active", n.Name))
					}
				}
			}
		}
		d.State, d.Reason, d.ID = "running", "booted", s.NextID
		s.NextID++
		return ok("Domain '%s' started\n", d.Name)
	})
}

// transition is the lifecycle of a defined domain, with the test
// driver's messages (testdata: recorded).
func transition(cmd string) command {
	return func(_ *sim.Host, s *State, args []string, _ []byte) reply {
		return withDomain(s, args, func(d *Domain, _ map[string]string) reply {
			notRunning := fmt.Sprintf("internal error: domain '%s' not running", d.Name)
			invalid := "Requested operation is not valid: domain is not running"
			switch cmd {
			case "shutdown":
				if d.State != "running" {
					return fail(fmt.Sprintf("Failed to shutdown domain '%s'", d.Name), notRunning)
				}
				s.stop(d, "shutdown")
				return ok("Domain '%s' is being shutdown\n", d.Name)
			case "destroy":
				if d.State == "shut off" {
					return fail(fmt.Sprintf("Failed to destroy domain '%s'", d.Name), invalid)
				}
				s.stop(d, "destroyed")
				return ok("Domain '%s' destroyed\n", d.Name)
			case "reboot":
				if d.State == "shut off" {
					return fail(fmt.Sprintf("Failed to reboot domain '%s'", d.Name), invalid)
				}
				return ok("Domain '%s' is being rebooted\n", d.Name)
			case "suspend":
				if d.State != "running" {
					return fail(fmt.Sprintf("Failed to suspend domain '%s'", d.Name), notRunning)
				}
				d.State, d.Reason = "paused", "user"
				return ok("Domain '%s' suspended\n", d.Name)
			default: // resume
				if d.State != "paused" {
					return fail(fmt.Sprintf("Failed to resume domain '%s'", d.Name), fmt.Sprintf("internal error: domain '%s' not paused", d.Name))
				}
				d.State, d.Reason = "running", "unpaused"
				return ok("Domain '%s' resumed\n", d.Name)
			}
		})
	}
}

// stop shuts a domain off; a transient one is gone.
func (s *State) stop(d *Domain, reason string) {
	d.State, d.Reason, d.ID = "shut off", reason, 0
	if !d.Persistent {
		s.remove(d)
	}
}
