package sim

import "testing"

func TestStorage(t *testing.T) {
	h := New()
	h.WithLock(func(h *Host) {
		s := StorageOf(h)
		lv := &BlockDev{Path: "/dev/mapper/vg-lv", Size: 1 << 30}
		s.AddDevice(lv, "/dev/vg/lv")
		s.AddDevice(&BlockDev{Path: "/dev/sda1", Size: 1 << 20})
		if d, ok := s.Device("/dev/vg/../vg/lv"); !ok || d != lv {
			t.Errorf("alias lookup: got %v, %v", d, ok)
		}
		root := &Mount{Source: "/dev/sda1", Target: "/", Dev: nil}
		data := &Mount{Source: "/dev/vg/lv", Target: "/data", Dev: lv}
		s.Mounts = append(s.Mounts, root, data)
		for p, want := range map[string]*Mount{"/data/x/y": data, "/data": data, "/datax": root, "/": root} {
			if m, ok := s.Containing(p); !ok || m != want {
				t.Errorf("Containing(%q) = %v, want %v", p, m, want)
			}
		}
		if m, ok := s.MountOf(lv); !ok || m != data {
			t.Errorf("MountOf(lv) = %v", m)
		}
		s.Unmount(data)
		if _, ok := s.MountAt("/data"); ok {
			t.Errorf("/data still mounted after Unmount")
		}
		s.RemoveDevice(lv)
		if got := s.Paths(); len(got) != 1 || got[0] != "/dev/sda1" {
			t.Errorf("after RemoveDevice: %v", got)
		}
		if s = ResetStorage(h); len(s.Paths()) != 0 || len(s.Mounts) != 0 {
			t.Errorf("ResetStorage left %v %v", s.Paths(), s.Mounts)
		}
	})
}
