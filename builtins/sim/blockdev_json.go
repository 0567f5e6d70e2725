package sim

import (
	"fmt"
	"sort"
)

// storageJSON is the block layer in a world file: each device once, with
// its aliases, and mounts naming their device by path.
type storageJSON struct {
	Devices []deviceJSON `json:"devices"`
	Mounts  []mountJSON  `json:"mounts"`
}

type deviceJSON struct {
	Path    string      `json:"path"`
	Aliases []string    `json:"aliases,omitempty"`
	Size    int64       `json:"size"`
	PTType  string      `json:"pt_type,omitempty"` // a partition table: "dos", "gpt"
	FS      *Filesystem `json:"fs,omitempty"`
	Backing string      `json:"backing,omitempty"` // a loop device's file
	Serial  string      `json:"serial,omitempty"`  // a VM disk's serial number
}

type mountJSON struct {
	Source  string `json:"source"`
	Target  string `json:"target"`
	FSType  string `json:"fstype"`
	Options string `json:"options"`
	Device  string `json:"device,omitempty"` // the device's canonical path
}

func (s *Storage) toJSON() storageJSON {
	out := storageJSON{Devices: []deviceJSON{}, Mounts: []mountJSON{}}
	byDev := map[*BlockDev]*deviceJSON{}
	var order []*BlockDev
	for _, p := range s.Paths() {
		d := s.devices[p]
		if _, ok := byDev[d]; !ok {
			byDev[d] = &deviceJSON{Path: d.Path, Size: d.Size, PTType: d.PTType, FS: d.FS, Backing: d.Backing, Serial: d.Serial}
			order = append(order, d)
		}
		if p != d.Path {
			byDev[d].Aliases = append(byDev[d].Aliases, p)
		}
	}
	sort.Slice(order, func(i, j int) bool { return order[i].Path < order[j].Path })
	for _, d := range order {
		out.Devices = append(out.Devices, *byDev[d])
	}
	for _, m := range s.Mounts {
		mj := mountJSON{Source: m.Source, Target: m.Target, FSType: m.FSType, Options: m.Options}
		if m.Dev != nil {
			mj.Device = m.Dev.Path
		}
		out.Mounts = append(out.Mounts, mj)
	}
	return out
}

func storageFromJSON(j storageJSON) (*Storage, error) {
	s := &Storage{devices: map[string]*BlockDev{}}
	for _, dj := range j.Devices {
		if dj.Path == "" {
			return nil, fmt.Errorf("a device without a path")
		}
		s.AddDevice(&BlockDev{Path: dj.Path, Size: dj.Size, PTType: dj.PTType, FS: dj.FS, Backing: dj.Backing, Serial: dj.Serial}, dj.Aliases...)
	}
	for _, mj := range j.Mounts {
		m := &Mount{Source: mj.Source, Target: mj.Target, FSType: mj.FSType, Options: mj.Options}
		if mj.Device != "" {
			d, ok := s.Device(mj.Device)
			if !ok {
				return nil, fmt.Errorf("mount on %s: no device %s", mj.Target, mj.Device)
			}
			m.Dev = d
		}
		s.Mounts = append(s.Mounts, m)
	}
	return s, nil
}
