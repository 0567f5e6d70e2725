package interp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/vtest"
)

// Every shipped recipe and library file passes `vrun check`.
func TestShippedFilesCheck(t *testing.T) {
	files, _ := filepath.Glob("../recipes/*.star")
	lib, _ := filepath.Glob("../stdlib/*.star")
	files = append(files, lib...)
	if len(files) < 2 {
		t.Fatalf("found only %v", files)
	}
	in := interp.MustNew(interp.Options{})
	in.TestPredeclared = vtest.Predeclared() // the recipes' *_test.star
	for _, p := range in.Check(files) {
		t.Errorf("%s", p)
	}
}

// Check follows loads, reports each problem once with its position, and
// compiles literal jq filters with their $variables.
func TestCheckProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("lib.star", "def ok():\n    return 1\nbad = undefined_in_lib\n")
	main := write("main.star", "load(\"lib.star\", \"ok\", \"nope\")\nx = jq({}, \".a + $n\", n = 1)\ny = jq({}, \".a + $m\")\n"+
		"lvm.lvcreat(\"vg\", \"x\")\ncollie.vdi.creat\nz = json.encode\ndef f(lvm):\n    return lvm.anything\n")
	var got []string
	for _, p := range interp.MustNew(interp.Options{}).Check([]string{main}) {
		got = append(got, strings.TrimPrefix(p.String(), dir+"/"))
	}
	want := []string{
		`lib.star:3:7: undefined: undefined_in_lib`,
		`main.star:1:25: lib.star has no public name "nope"`,
		`main.star:3:12: jq: variable not defined: $m`,
		`main.star:4:5: lvm has no member "lvcreat" (did you mean lvm.lvcreate?)`,
		`main.star:5:12: collie.vdi has no member "creat" (did you mean collie.vdi.create?)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A %-format with a flag, width or precision fails at run time ("unknown
// conversion %0"); check says so before and points at sprintf. Plain
// conversions, %% and formats used otherwise are left alone.
func TestCheckPaddedPercentFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.star")
	src := "a = \"eth0.%04d\" % 7\nb = \"%.2f GiB\" % 1.5\nc = \"%-8s|\" % \"x\"\n" +
		"ok1 = \"%d%% %s %r %x\" % (1, 2, 3, 4)\nok2 = sprintf(\"%04d\", 7)\nok3 = \"100%% %(n)s\" % {\"n\": 1}\nok4 = \"%04d\"\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range interp.MustNew(interp.Options{}).Check([]string{p}) {
		got = append(got, strings.TrimPrefix(pr.String(), filepath.Dir(p)+"/"))
	}
	want := []string{
		`f.star:1:5: "%04d" in a % expression: Starlark's % has no flags, width or precision (it fails with "unknown conversion"); use sprintf("eth0.%04d", ...)`,
		`f.star:2:5: "%.2f" in a % expression: Starlark's % has no flags, width or precision (it fails with "unknown conversion"); use sprintf("%.2f GiB", ...)`,
		`f.star:3:5: "%-8s" in a % expression: Starlark's % has no flags, width or precision (it fails with "unknown conversion"); use sprintf("%-8s|", ...)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
