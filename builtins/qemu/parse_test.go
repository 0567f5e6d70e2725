package qemu

import (
	"os"
	"path/filepath"
	"testing"
)

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseInfo(t *testing.T) {
	for file, want := range map[string]struct {
		format, backing string
		size            int64
		snaps           []string
	}{
		"info-qcow2.json":          {format: "qcow2", size: 1 << 30},
		"info-raw.json":            {format: "raw", size: 10 << 20},
		"info-backing.json":        {format: "qcow2", size: 1 << 30, backing: "disk.qcow2"},
		"info-snapshots.json":      {format: "qcow2", size: 1 << 30, snaps: []string{"1:before-install", "2:second"}},
		"info-qemu8-children.json": {format: "qcow2", size: 32 << 30},
	} {
		info, err := ParseInfo(sample(t, file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var snaps []string
		for _, s := range info.Snapshots {
			snaps = append(snaps, s.ID+":"+s.Name)
		}
		if info.Format != want.format || info.VirtualSize != want.size || info.BackingFilename != want.backing || len(snaps) != len(want.snaps) {
			t.Errorf("%s: got %+v", file, info)
		}
		for i := range snaps {
			if snaps[i] != want.snaps[i] {
				t.Errorf("%s: snapshots %v, want %v", file, snaps, want.snaps)
			}
		}
	}
	for _, bad := range []string{"", "{", `{"virtual-size": 1}`, `{"format": "raw", "virtual-size": -1}`, `[]`} {
		if _, err := ParseInfo([]byte(bad)); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
}

func FuzzParseInfo(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		f.Add(sample(f, filepath.Base(file)))
	}
	f.Fuzz(func(t *testing.T, out []byte) {
		info, err := ParseInfo(out)
		if err == nil && (info.Format == "" || info.VirtualSize < 0) {
			t.Errorf("accepted %+v", info)
		}
	})
}
