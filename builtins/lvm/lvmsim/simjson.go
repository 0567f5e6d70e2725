package lvmsim

import (
	"encoding/json"
	"fmt"
	"sort"
)

// The LVM state in a world file: PVs and VGs as sorted lists, so a world
// saved twice is the same bytes; LVs in creation order, as LVM keeps them.

type lvmJSON struct {
	UUIDSeq int      `json:"uuid_seq"` // the last id handed out, so new ids stay unique
	PVs     []pvJSON `json:"pvs"`
	VGs     []vgJSON `json:"vgs"`
}

type pvJSON struct {
	Dev  string `json:"dev"`
	VG   string `json:"vg,omitempty"`
	UUID string `json:"uuid"`
}

type vgJSON struct {
	Name string   `json:"name"`
	UUID string   `json:"uuid"`
	PVs  []string `json:"pvs"`
	LVs  []lvJSON `json:"lvs"`
}

type lvJSON struct {
	Name    string `json:"name"`
	UUID    string `json:"uuid"`
	Extents int64  `json:"extents"`
}

// MarshalJSON writes the state for SaveWorld.
func (s *lvmState) MarshalJSON() ([]byte, error) {
	j := lvmJSON{UUIDSeq: s.uuid, PVs: []pvJSON{}, VGs: []vgJSON{}}
	for _, p := range s.pvs {
		j.PVs = append(j.PVs, pvJSON{Dev: p.dev, VG: p.vg, UUID: p.uuid})
	}
	sort.Slice(j.PVs, func(a, b int) bool { return j.PVs[a].Dev < j.PVs[b].Dev })
	for _, v := range s.sortedVGs() {
		vj := vgJSON{Name: v.name, UUID: v.uuid, PVs: append([]string{}, v.pvs...), LVs: []lvJSON{}}
		for _, l := range v.lvs {
			vj.LVs = append(vj.LVs, lvJSON{Name: l.name, UUID: l.uuid, Extents: l.extents})
		}
		j.VGs = append(j.VGs, vj)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a saved state; a world LVM itself could not hold
// (a PV in two places, a VG on a PV of another, bad names) is an error,
// not a world the fakes would answer from.
func (s *lvmState) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return fmt.Errorf("null, want the LVM state (leave the key out for an empty one)")
	}
	var j lvmJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.UUIDSeq < 0 {
		return fmt.Errorf("uuid_seq %d is negative", j.UUIDSeq)
	}
	pvs, vgs := map[string]*simPV{}, map[string]*simVG{}
	for _, p := range j.PVs {
		if p.Dev == "" {
			return fmt.Errorf("a PV without a device")
		}
		if _, dup := pvs[p.Dev]; dup {
			return fmt.Errorf("PV %s listed twice", p.Dev)
		}
		pvs[p.Dev] = &simPV{dev: p.Dev, vg: p.VG, uuid: p.UUID}
	}
	for _, vj := range j.VGs {
		if !validName(vj.Name) {
			return fmt.Errorf("invalid VG name %q", vj.Name)
		}
		if _, dup := vgs[vj.Name]; dup {
			return fmt.Errorf("VG %s listed twice", vj.Name)
		}
		v := &simVG{name: vj.Name, uuid: vj.UUID, pvs: vj.PVs}
		for _, p := range vj.PVs {
			if pv, ok := pvs[p]; !ok || pv.vg != vj.Name {
				return fmt.Errorf("VG %s: %s is not one of its PVs in the pvs list", vj.Name, p)
			}
		}
		for _, lj := range vj.LVs {
			if !validName(lj.Name) || lj.Extents <= 0 || lj.Extents > maxExtents {
				return fmt.Errorf("VG %s: invalid LV %q of %d extents", vj.Name, lj.Name, lj.Extents)
			}
			if v.lv(lj.Name) != nil {
				return fmt.Errorf("VG %s: LV %s listed twice", vj.Name, lj.Name)
			}
			v.lvs = append(v.lvs, &simLV{name: lj.Name, uuid: lj.UUID, extents: lj.Extents})
		}
		vgs[vj.Name] = v
	}
	for _, p := range pvs {
		if _, ok := vgs[p.vg]; p.vg != "" && !ok {
			return fmt.Errorf("PV %s: in VG %s, which is not listed", p.dev, p.vg)
		}
	}
	s.pvs, s.vgs, s.uuid = pvs, vgs, j.UUIDSeq
	return nil
}
