package qemu_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/qemu"
	"github.com/vrun-dev/vrun/builtins/qemu/qemusim"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// imgSession is one qemu-img scenario, each step run on the real tool (in
// a temp dir) and on the fake; rc, stdout and stderr must be identical
// except for info's JSON, compared parsed without actual-size and dates.
var imgSession = [][]string{
	{"create", "-f", "qcow2", "base.qcow2", "1G"},
	{"create", "-f", "raw", "disk.img", "10M"},
	{"create", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "overlay.qcow2"},
	{"create", "-f", "qcow2", "-b", "base.qcow2", "overlay2.qcow2"},
	{"create", "-f", "qcow2", "-b", "nonexist.qcow2", "-F", "qcow2", "overlay3.qcow2"},
	{"create", "-f", "qcow2", "half.qcow2", "1.5G"},
	{"create", "-f", "qcow2", "bad.qcow2", "ten"},
	{"create", "-f", "qcow2", "bad.qcow2", "1GB"},
	{"create", "-f", "qcow2", "nosize.qcow2"},
	{"create", "-f", "qcow3", "bad.qcow2", "1G"},
	{"create", "-f", "raw", "", "1G"},
	{"create", "-f", "", "nofmt.img", "1G"},
	{"info", "--output=json", "base.qcow2"},
	{"info", "--output=json", "disk.img"},
	{"info", "--output=json", "overlay.qcow2"},
	{"info", "--output=json", "nonexist.qcow2"},
	{"info", "--output=json", "-f", "qcow2", "disk.img"},
	{"snapshot", "-c", "before-install", "base.qcow2"},
	{"snapshot", "-c", "second", "base.qcow2"},
	{"snapshot", "-c", "second", "base.qcow2"}, // qcow2 accepts a duplicate tag
	{"info", "--output=json", "base.qcow2"},
	{"snapshot", "-a", "before-install", "base.qcow2"},
	{"snapshot", "-a", "nosuch", "base.qcow2"},
	{"snapshot", "-d", "second", "base.qcow2"},
	{"snapshot", "-d", "nosuch", "base.qcow2"},
	{"snapshot", "-c", "1", "base.qcow2"}, // a name that is another's id
	{"snapshot", "-a", "1", "base.qcow2"}, // apply takes the id first
	{"snapshot", "-d", "3", "base.qcow2"}, // delete goes by name only
	{"snapshot", "-d", "1", "base.qcow2"}, // the one named "1"
	{"snapshot", "-d", "1", "base.qcow2"}, // id 1 stays
	{"snapshot", "-a", "second", "base.qcow2"},
	{"snapshot", "-c", "s1", "disk.img"},
	{"snapshot", "-l", "disk.img"},
	{"snapshot", "-f", "qcow2", "-c", "s1", "base.qcow2"},
	{"info", "--output=json", "base.qcow2"},
	{"convert", "-f", "qcow2", "-O", "raw", "base.qcow2", "base.raw"},
	{"convert", "-f", "raw", "-O", "qcow2", "disk.img", "disk.qcow2"},
	{"convert", "-O", "qcow2", "nonexist", "x.qcow2"},
	{"convert", "-O", "vmdkx", "disk.img", "x.vmdk"},
	{"info", "--output=json", "base.raw"},
	{"info", "--output=json", "disk.qcow2"},
	{"resize", "-f", "raw", "disk.img", "20M"},
	{"resize", "-f", "qcow2", "base.qcow2", "2G"},
	{"resize", "-f", "qcow2", "base.qcow2", "512M"},
	{"resize", "-f", "qcow2", "--shrink", "base.qcow2", "512M"},
	{"resize", "-f", "qcow2", "overlay.qcow2", "+1G"},
	{"info", "--output=json", "disk.img"},
	{"info", "--output=json", "base.qcow2"},
	{"info", "--output=json", "overlay.qcow2"},
}

func TestQemuImgSimMatchesReal(t *testing.T) {
	exectest.RequireTools(t, "qemu-img")
	dir := t.TempDir()
	real := &exec.Local{}
	h := sim.New()
	qemusim.Install(h)
	ctx := context.Background()
	for _, args := range imgSession {
		argv := append([]string{"qemu-img"}, args...)
		want, err := real.Run(ctx, exec.Cmd{Argv: argv, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.Run(ctx, exec.Cmd{Argv: argv})
		if err != nil {
			t.Fatal(err)
		}
		name := exec.QuoteArgv(argv)
		if got.Code != want.Code || string(got.Stderr) != string(want.Stderr) {
			t.Errorf("%s:\nsim  rc %d stderr %q\nreal rc %d stderr %q", name, got.Code, got.Stderr, want.Code, want.Stderr)
			continue
		}
		if args[0] != "info" || want.Code != 0 {
			if string(got.Stdout) != string(want.Stdout) {
				t.Errorf("%s:\nsim  stdout %q\nreal stdout %q", name, got.Stdout, want.Stdout)
			}
			continue
		}
		gi, gerr := comparable(got.Stdout)
		wi, werr := comparable(want.Stdout)
		if gerr != nil || werr != nil || !reflect.DeepEqual(gi, wi) {
			t.Errorf("%s:\nsim  %+v %v\nreal %+v %v", name, gi, gerr, wi, werr)
		}
		// Same keys in the same order: the fake prints qemu's layout.
		if keys(got.Stdout) != keys(want.Stdout) {
			t.Errorf("%s: keys\nsim  %s\nreal %s", name, keys(got.Stdout), keys(want.Stdout))
		}
	}
}

// comparable drops what legitimately differs between runs and machines.
func comparable(out []byte) (qemu.ImageInfo, error) {
	i, err := qemu.ParseInfo(out)
	i.ActualSize = 0
	for j := range i.Snapshots {
		i.Snapshots[j].DateSec, i.Snapshots[j].DateNsec = 0, 0
	}
	return i, err
}

// keys lists the top-level keys in order of appearance.
func keys(out []byte) string {
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var ks []string
	depth := 0
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				depth++
			} else {
				depth--
			}
			expectKey = depth == 1
			continue
		case string:
			if depth == 1 && expectKey {
				ks = append(ks, tok)
				expectKey = false
				continue
			}
		}
		expectKey = depth == 1
	}
	return strings.Join(ks, ",")
}
