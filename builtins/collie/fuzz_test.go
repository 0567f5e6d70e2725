package collie

import (
	"path/filepath"
	"testing"
)

// seed adds every sample of a command to the corpus; `go test` runs these
// seeds, `go test -fuzz FuzzParseX` explores from them.
func seed(f *testing.F, dir string) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no samples in testdata/%s", dir)
	}
	for _, file := range files {
		f.Add(sample(f, filepath.Join(dir, filepath.Base(file))))
	}
}

func FuzzParseNodeList(f *testing.F) {
	seed(f, "node_list")
	f.Fuzz(func(t *testing.T, out string) {
		nodes, err := ParseNodeList(out)
		for _, n := range nodes {
			if err == nil && (n.Port < 0 || n.Port > 65535) {
				t.Errorf("port %d out of range", n.Port)
			}
		}
	})
}

func FuzzParseNodeInfo(f *testing.F) {
	seed(f, "node_info")
	f.Fuzz(func(t *testing.T, out string) {
		info, err := ParseNodeInfo(out)
		if err == nil && (info.Total.Size < 0 || info.VDISize < 0) {
			t.Errorf("negative size in %+v", info)
		}
	})
}

func FuzzParseVDIList(f *testing.F) {
	seed(f, "vdi_list")
	f.Fuzz(func(t *testing.T, out string) {
		vdis, err := ParseVDIList(out)
		for _, v := range vdis {
			if err == nil && (v.Size < 0 || v.Used < 0 || v.Shared < 0) {
				t.Errorf("negative size in %+v", v)
			}
		}
	})
}

func FuzzParseClusterInfo(f *testing.F) {
	seed(f, "cluster_info")
	f.Fuzz(func(t *testing.T, out string) {
		_, _ = ParseClusterInfo(out)
	})
}

func FuzzParseVDITree(f *testing.F) {
	seed(f, "vdi_tree")
	f.Fuzz(func(t *testing.T, out string) {
		_, _ = ParseVDITree(out)
	})
}
