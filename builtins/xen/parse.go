package xen

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Domain is a guest as `xl list -l` (libxl_domain_config JSON) and the
// `xl list` table report it.
type Domain struct {
	Name, UUID, Type, State string
	ID                      int // -1 when xl printed "domid": null
	MemoryKiB, TargetKiB    int64
	VCPUs                   int
	Disks                   []Disk
	Bridges                 []string // each vif's bridge, in devid order
}

// Disk is one disk of a guest.
type Disk struct{ Path, Vdev, Format string }

type listL []struct {
	DomID  *int `json:"domid"`
	Config struct {
		CInfo struct {
			Type, Name, UUID string
		} `json:"c_info"`
		BInfo struct {
			MaxVCPUs    int   `json:"max_vcpus"`
			MaxMemKB    int64 `json:"max_memkb"`
			TargetMemKB int64 `json:"target_memkb"`
		} `json:"b_info"`
		Disks []struct {
			PdevPath string `json:"pdev_path"`
			Vdev     string `json:"vdev"`
			Format   string `json:"format"`
		} `json:"disks"`
		Nics []struct {
			Bridge string `json:"bridge"`
		} `json:"nics"`
	} `json:"config"`
}

// ParseListLong reads `xl list -l` (its default JSON output format).
func ParseListLong(data []byte) ([]Domain, error) {
	var l listL
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("cannot read xl list -l output (JSON; set output_format=\"json\" in xl.conf): %w", err)
	}
	out := make([]Domain, 0, len(l))
	for i, d := range l {
		c := d.Config
		if c.CInfo.Name == "" {
			return nil, fmt.Errorf("xl list -l: domain %d has no c_info.name", i+1)
		}
		dom := Domain{Name: c.CInfo.Name, UUID: c.CInfo.UUID, Type: c.CInfo.Type, ID: -1,
			MemoryKiB: c.BInfo.MaxMemKB, TargetKiB: c.BInfo.TargetMemKB, VCPUs: c.BInfo.MaxVCPUs}
		if d.DomID != nil {
			dom.ID = *d.DomID
		}
		for _, k := range c.Disks {
			dom.Disks = append(dom.Disks, Disk{Path: k.PdevPath, Vdev: k.Vdev, Format: k.Format})
		}
		for _, n := range c.Nics {
			dom.Bridges = append(dom.Bridges, n.Bridge)
		}
		out = append(out, dom)
	}
	return out, nil
}

// ParseListStates reads the `xl list` table into states by name ("r-----").
func ParseListStates(data []byte) (map[string]string, error) {
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "Name") {
		return nil, fmt.Errorf("xl list: no header line")
	}
	out := map[string]string{}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) != 6 {
			return nil, fmt.Errorf("xl list: cannot read line %q", line)
		}
		out[f[0]] = f[4]
	}
	return out, nil
}

// ParseInfo reads `xl info`: "key : value" lines; numbers become ints.
func ParseInfo(data []byte) (map[string]any, error) {
	out := map[string]any{}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("xl info: cannot read line %q", line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return nil, fmt.Errorf("xl info: a line without a key: %q", line)
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[k] = n
		} else {
			out[k] = v
		}
	}
	if _, ok := out["xen_version"]; !ok {
		// xm info (Xen 3) has only the parts, which xl joins.
		maj, ok1 := out["xen_major"].(int64)
		min, ok2 := out["xen_minor"].(int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("info printed neither xen_version nor xen_major/xen_minor: not xl or xm info's output")
		}
		extra := ""
		if x, ok := out["xen_extra"]; ok {
			extra = fmt.Sprint(x)
		}
		out["xen_version"] = fmt.Sprintf("%d.%d%s", maj, min, extra)
	}
	return out, nil
}
