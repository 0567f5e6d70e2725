package xen

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseXmListLong reads `xm list --long`: one (domain ...) S-expression
// per domain (xend's XendDomainInfo.sxpr). It yields the Domain values
// ParseListLong gives for `xl list -l` of the same guests: Domain-0 left
// out (xl has no config for it), memory in KiB, each vbd's path without
// its file:/phy:/tap:aio: prefix, each vif's bridge; and the state too.
func ParseXmListLong(data []byte) ([]Domain, error) {
	vals, err := ParseSexp(data)
	if err != nil {
		return nil, fmt.Errorf("cannot read xm list --long output: %w", err)
	}
	out := []Domain{}
	for i, v := range vals {
		if v.Name() != "domain" {
			return nil, fmt.Errorf("xm list --long: value %d is not a (domain ...) list", i+1)
		}
		d, err := xmDomain(v)
		if err != nil {
			return nil, fmt.Errorf("xm list --long: domain %d: %w", i+1, err)
		}
		if d.ID == 0 {
			continue // Domain-0
		}
		out = append(out, d)
	}
	return out, nil
}

func xmDomain(v Sexp) (Domain, error) {
	d := Domain{ID: -1}
	var ok bool
	if d.Name, ok = v.Value("name"); !ok || d.Name == "" {
		return d, fmt.Errorf("no (name ...)")
	}
	num := func(key string, dst *int64) error {
		s, ok := v.Value(key)
		if !ok {
			return fmt.Errorf("%s: no (%s N)", d.Name, key)
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return fmt.Errorf("%s: (%s %s) is not a count", d.Name, key, s)
		}
		*dst = n
		return nil
	}
	var mem, maxmem, vcpus int64
	if err := num("memory", &mem); err != nil {
		return d, err
	}
	if _, has := v.Value("maxmem"); has {
		if err := num("maxmem", &maxmem); err != nil {
			return d, err
		}
	} else {
		maxmem = mem
	}
	if err := num("vcpus", &vcpus); err != nil {
		return d, err
	}
	d.MemoryKiB, d.TargetKiB, d.VCPUs = maxmem*1024, mem*1024, int(vcpus)
	if s, has := v.Value("domid"); has { // absent for a managed domain that is not running
		var id int64
		if err := num("domid", &id); err != nil {
			return d, err
		}
		d.ID = int(id)
		_ = s
	}
	d.UUID, _ = v.Value("uuid")
	d.State, _ = v.Value("state")
	for _, img := range v.Children("image") {
		for _, k := range img.List[1:] {
			switch k.Name() {
			case "linux":
				d.Type = "pv"
			case "hvm":
				d.Type = "hvm"
			}
		}
	}
	for _, dev := range v.Children("device") {
		for _, k := range dev.List[1:] {
			switch k.Name() {
			case "vbd", "tap", "tap2":
				disk, err := xmDisk(k)
				if err != nil {
					return d, fmt.Errorf("%s: %w", d.Name, err)
				}
				d.Disks = append(d.Disks, disk)
			case "vif":
				br, _ := k.Value("bridge")
				d.Bridges = append(d.Bridges, br)
			}
		}
	}
	return d, nil
}

// xmDisk reads a vbd: (uname file:/p | phy:/dev/x | tap:aio:/p |
// tap:qcow:/p) (dev xvda:disk), as libxl names them (pdev_path, vdev,
// format).
func xmDisk(k Sexp) (Disk, error) {
	uname, ok := k.Value("uname")
	if !ok || uname == "" {
		return Disk{}, fmt.Errorf("a %s without (uname ...)", k.Name())
	}
	dev, _ := k.Value("dev")
	vdev, _, _ := strings.Cut(dev, ":") // "xvda:disk", "hdc:cdrom"
	disk := Disk{Vdev: vdev, Format: "raw"}
	kind, rest, ok := strings.Cut(uname, ":")
	if !ok {
		return Disk{}, fmt.Errorf("vbd uname %q: want TYPE:PATH", uname)
	}
	switch kind {
	case "file", "phy":
		disk.Path = rest
	case "tap", "tap2":
		drv, p, ok := strings.Cut(rest, ":")
		if !ok {
			return Disk{}, fmt.Errorf("vbd uname %q: want tap:DRIVER:PATH", uname)
		}
		switch drv {
		case "aio", "sync":
		case "qcow", "qcow2", "vhd":
			disk.Format = drv
		default:
			return Disk{}, fmt.Errorf("vbd uname %q: unknown blktap driver %q", uname, drv)
		}
		disk.Path = p
	default:
		return Disk{}, fmt.Errorf("vbd uname %q: unknown type %q", uname, kind)
	}
	if kind == "phy" && !strings.HasPrefix(disk.Path, "/") {
		disk.Path = "/dev/" + disk.Path // xm accepts phy:sda7
	}
	return disk, nil
}
