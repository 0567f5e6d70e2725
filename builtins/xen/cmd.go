package xen

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// xl explains itself on stderr ("libxl: error: ..."): its last lines.
var xl = tool.Tool{Name: "xl", Explain: func(r exec.Result) string { return strings.TrimSpace(exec.Tail(r.Stderr, 3)) }}

// List is xl list -l with each guest's state from the xl list table, or
// xm list --long (which holds the states) on an xm host.
func List(e *env.Env) ([]Domain, error) {
	t, err := Toolstack(e)
	if err != nil {
		return nil, err
	}
	if t.Name == "xm" {
		r, err := xm.Read(e, "list", "--long")
		if err != nil {
			return nil, err
		}
		return ParseXmListLong(r.Stdout)
	}
	r, err := xl.Read(e, "list", "-l")
	if err != nil {
		return nil, err
	}
	doms, err := ParseListLong(r.Stdout)
	if err != nil {
		return nil, err
	}
	r, err = xl.Read(e, "list")
	if err != nil {
		return nil, err
	}
	states, err := ParseListStates(r.Stdout)
	if err != nil {
		return nil, err
	}
	for i := range doms {
		doms[i].State = states[doms[i].Name]
	}
	return doms, nil
}

func find(e *env.Env, name string) (Domain, bool, error) {
	doms, err := List(e)
	if err != nil {
		return Domain{}, false, err
	}
	for _, d := range doms {
		if d.Name == name || (d.ID > 0 && strconv.Itoa(d.ID) == name) {
			return d, true, nil
		}
	}
	return Domain{}, false, nil
}

// Create starts the guest of a config file unless a domain of that name
// runs already.
func Create(e *env.Env, cfgPath, name string) (bool, error) {
	if err := starutil.Operand(cfgPath, "a config file path"); err != nil {
		return false, err
	}
	t, err := Toolstack(e)
	if err != nil {
		return false, err
	}
	if _, ok, err := find(e, name); err != nil || ok {
		return false, err
	}
	if _, err := t.Change(e, "create", "--", cfgPath); err != nil {
		return false, err
	}
	if _, ok, err := find(e, name); err != nil || !ok {
		return false, fmt.Errorf("%s create %s exited 0 but %s list does not show %s (%v): is name = %q in the config?", t.Name, cfgPath, t.Name, name, err, name)
	}
	return true, nil
}

// Domain names a guest on the xl command line.
func checkDomain(d string) error {
	if err := starutil.Operand(d, "a domain name or id"); err != nil {
		return err
	}
	if d == "0" || d == "Domain-0" {
		return fmt.Errorf("%s is the host itself (dom0): refused", d)
	}
	return nil
}

// VirtInstall is the seed's virt-install: a PV guest on a bridge from an
// install tree.
type VirtInstall struct {
	Name, Disk, Bridge, Location, Graphics string
	RAM, Size, VCPUs                       int64 // MiB, bytes
	Legacy                                 bool  // EL5's virt-install 0.x options
}

// Argv builds the command line.
func (v VirtInstall) Argv() ([]string, error) {
	if !nameRe.MatchString(v.Name) {
		return nil, fmt.Errorf("name %q: want letters, digits and _.-", v.Name)
	}
	if err := starutil.Operand(v.Disk, "a disk image path"); err != nil {
		return nil, err
	}
	if !path.IsAbs(v.Disk) || strings.ContainsAny(v.Disk, ",") {
		return nil, fmt.Errorf("disk %q: want an absolute path without commas", v.Disk)
	}
	if err := starutil.Operand(v.Bridge, "a bridge name"); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(v.Location, "http://") && !strings.HasPrefix(v.Location, "https://") && !strings.HasPrefix(v.Location, "ftp://") && !strings.HasPrefix(v.Location, "nfs:") {
		return nil, fmt.Errorf("location %q: want an install tree URL (http://, https://, ftp:// or nfs:)", v.Location)
	}
	if v.RAM < 64 {
		return nil, fmt.Errorf("ram = %d MiB: a CentOS installer needs at least 256 (the seed's 256 is its minimum for a GUI install)", v.RAM)
	}
	if v.Size <= 0 || v.Size%(1<<30) != 0 {
		return nil, fmt.Errorf("size %d bytes: want whole GiB (virt-install takes the disk size in GB)", v.Size)
	}
	if v.Graphics != "none" && v.Graphics != "vnc" {
		return nil, fmt.Errorf("graphics %q: want \"none\" or \"vnc\"", v.Graphics)
	}
	gb := strconv.FormatInt(v.Size>>30, 10)
	ram, vcpus := strconv.FormatInt(v.RAM, 10), strconv.FormatInt(v.VCPUs, 10)
	if v.Legacy {
		argv := []string{"virt-install", "--paravirt", "--name", v.Name, "--ram", ram, "--vcpus", vcpus, "--file", v.Disk,
			"--file-size", gb, "--bridge", v.Bridge, "--location", v.Location}
		if v.Graphics == "vnc" {
			return append(argv, "--vnc"), nil
		}
		return append(argv, "--nographics"), nil
	}
	return []string{"virt-install", "--paravirt", "--name", v.Name, "--memory", ram, "--vcpus", vcpus,
		"--disk", "path=" + v.Disk + ",size=" + gb, "--network", "bridge=" + v.Bridge, "--location", v.Location,
		"--graphics", v.Graphics, "--noautoconsole"}, nil
}

// WrapperScript is the seed's network-vlan-bridge-wrapper, which xend
// runs as its network-script: network-vlan-bridge once per VLAN bridge.
func WrapperScript(bridges [][2]string) (string, error) {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n# Written by vrun: one bridge per VLAN (xend's network-script).\nBRIDGE_SCRIPT=/etc/xen/scripts/network-vlan-bridge\n")
	for i, nb := range bridges {
		for _, s := range nb {
			if !nameRe.MatchString(s) || len(s) > 15 {
				return "", fmt.Errorf("%q is not an interface name", s)
			}
		}
		fmt.Fprintf(&b, "$BRIDGE_SCRIPT \"$@\" vifnum=%d netdev=%s bridge=%s\n", i, nb[0], nb[1])
	}
	return b.String(), nil
}
