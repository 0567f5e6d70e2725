package repl_test

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpOfOtherValues(t *testing.T) {
	h := newSession(t, strings.Join([]string{
		"def mk(name, size = \"1G\", *more, **opts):",
		"    \"\"\"Make a thing.\"\"\"",
		"",
		"help(mk)",
		"help([].append)",
		"help(struct)",
		"help(42)",
		"help('nosuch.thing')",
	}, "\n"), nil)
	h.run()
	for _, want := range []string{
		"mk(name, size = \"1G\", *more, **opts)\n    Make a thing.",
		"list.append: a method of list",
		"42: a int",
	} {
		if !strings.Contains(h.stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, h.stdout)
		}
	}
	if !strings.Contains(h.stderr.String(), "help: nosuch is not defined") {
		t.Errorf("stderr: %s", h.stderr)
	}
}

// TestHelpOfLoadedFunction: help(fn) of a function loaded from a library
// shows its signature in source order, where it is defined, and its
// docstring without the def's indentation; help("name") finds it too.
func TestHelpOfLoadedFunction(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lvm.star")
	write(t, lib, strings.Join([]string{
		`def carve(vg, name, *, size = "1G", fs = None, **tags):`,
		`    """Carves an LV.`,
		``,
		`    vg: the volume group`,
		`        (it must exist)`,
		`    """`,
		`    return vg`,
		``,
		`def spread(*hosts, parallel = 2):`,
		`    return hosts`,
		``,
	}, "\n"))
	h := newSession(t, strings.Join([]string{
		`load("` + lib + `", "carve", s = "spread")`,
		`help(carve)`,
		`help("s")`,
		`def local(a, *, b):`,
		`    "Only here."`,
		``,
		`help(local)`,
	}, "\n"), nil)
	if code := h.run(); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, h.stderr)
	}
	want := `carve(vg, name, *, size = "1G", fs = None, **tags)  # ` + lib + `:1
    Carves an LV.

    vg: the volume group
        (it must exist)
spread(*hosts, parallel = 2)  # ` + lib + `:9
local(a, *, b)
    Only here.
`
	if got := h.stdout.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
