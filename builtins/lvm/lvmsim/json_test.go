package lvmsim

import "testing"

// A world file LVM could not hold is refused, not half loaded.
func TestWorldLoadRefusesBadLVM(t *testing.T) {
	for _, doc := range []string{
		`{"uuid_seq": 1, "pvs": [{"dev": "/dev/sda2", "vg": "VG", "uuid": "x"}], "vgs": []}`,
		`{"uuid_seq": 1, "pvs": [], "vgs": [{"name": "VG", "uuid": "x", "pvs": ["/dev/sda2"], "lvs": []}]}`,
		`{"uuid_seq": 1, "pvs": [], "vgs": [{"name": "-VG", "uuid": "x", "pvs": [], "lvs": []}]}`,
		`{"uuid_seq": 1, "pvs": [], "vgs": [{"name": "VG", "uuid": "x", "pvs": [], "lvs": [{"name": "a", "extents": 0}]}]}`,
		`{"uuid_seq": 1, "pvs": [{"dev": "/dev/a", "uuid": "x"}, {"dev": "/dev/a", "uuid": "y"}], "vgs": []}`,
		`{"uuid_seq": -1, "pvs": [], "vgs": []}`,
	} {
		s := &lvmState{}
		if err := s.UnmarshalJSON([]byte(doc)); err == nil {
			t.Errorf("loaded %s", doc)
		}
	}
}

// Null, or an LV beyond LVM's extent limit, is refused too.
func TestWorldLoadRefusesNullAndHugeLVM(t *testing.T) {
	for _, doc := range []string{
		`null`,
		`{"uuid_seq": 1, "pvs": [], "vgs": [{"name": "VG", "uuid": "x", "pvs": [], "lvs": [{"name": "a", "extents": 4611686018427387904}]}]}`,
	} {
		s := &lvmState{}
		if err := s.UnmarshalJSON([]byte(doc)); err == nil {
			t.Errorf("loaded %s", doc)
		}
	}
}
