package dogsim

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The fake draws trees like dog: a branched history reproduces the sample.
func TestSimTreeDrawing(t *testing.T) {
	at := func(s string) int64 {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Unix()
	}
	cl := &Cluster{Formatted: true, VDIs: []*VDI{
		{Name: "test", SnapID: 1, VID: 1, Created: at("2013-06-15 12:30")},
		{Name: "test", VID: 2, Parent: 1},
		{Name: "test2", SnapID: 1, VID: 3, Created: at("2013-06-15 12:30")},
		{Name: "test2", SnapID: 2, VID: 4, Parent: 3, Created: at("2013-06-15 12:31")},
		{Name: "test2", SnapID: 3, VID: 5, Parent: 3, Created: at("2013-06-15 12:33")},
		{Name: "test2", VID: 6, Parent: 5},
	}}
	if got, want := cl.vdiTree(), sample(t, "vdi_tree/branched.txt"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// sample reads a recorded output of the real tool from the collie package.
func sample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
