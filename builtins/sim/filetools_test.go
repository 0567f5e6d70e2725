package sim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// fileScenario is run on real coreutils in a temporary directory and on
// the fake under /vt; $T stands for the directory in commands and output.
var fileScenario = [][]string{
	{"dd", "status=none", "of=$T/a"}, // stdin "data\n"
	{"chmod", "600", "$T/a"},
	{"ln", "-s", "a", "$T/b"},
	{"ln", "-s", "a", "$T/b"},
	{"readlink", "$T/b"},
	{"readlink", "$T/a"},
	{"readlink"},
	{"readlink", "-f", "$T/b"},
	{"cat", "$T/b"},
	{"test", "-L", "$T/b"},
	{"test", "-L", "$T/a"},
	{"test", "-e", "$T/b"},
	{"ln", "-sf", "c", "$T/b"},
	{"readlink", "$T/b"},
	{"test", "-e", "$T/b"},
	{"test", "-L", "$T/b"},
	{"cat", "$T/b"},
	{"ln", "-s", "l2", "$T/l1"},
	{"ln", "-s", "l1", "$T/l2"},
	{"cat", "$T/l1"},
	{"test", "-e", "$T/l1"},
	{"ln", "$T/a", "$T/h"},
	{"ln", "$T/a", "$T/h"},
	{"ln", "$T/nope", "$T/h2"},
	{"ln", "-s", "a", "$T/nod/x"},
	{"ln"},
	{"mkdir", "$T/d"},
	{"ln", "$T/d", "$T/hd"},
	{"cp", "$T/a", "$T/g"},
	{"stat", "-c", "%a", "$T/g"},
	{"cp", "$T/nope", "$T/x"},
	{"cp", "$T/d", "$T/e"},
	{"cp"},
	{"cp", "$T/a"},
	{"cp", "$T/a", "$T/a"},
	{"cp", "$T/a", "$T/nod/x"},
	{"cp", "$T/a", "$T/g", "$T/d2"},
	{"cp", "$T/a", "$T/g", "$T/a"},
	{"cp", "-p", "$T/a", "$T/d"},
	{"stat", "-c", "%a", "$T/d/a"},
	{"ln", "-s", "../a", "$T/d/la"},
	{"cp", "-r", "$T/d", "$T/e"},
	{"cat", "$T/e/a"},
	{"readlink", "$T/e/la"},
	{"cat", "$T/e/la"},
	{"cp", "-r", "$T/d", "$T/a"},
	{"cp", "-r", "$T/d", "$T/d/sub"},
	{"cp", "-a", "$T/b", "$T/b2"},
	{"readlink", "$T/b2"},
	{"mv", "$T/nope", "$T/z"},
	{"mv"},
	{"mv", "$T/a"},
	{"mv", "$T/g", "$T/g"},
	{"mv", "$T/g", "$T/nod/x"},
	{"mv", "$T/e", "$T/e/x"},
	{"mv", "$T/g", "$T/d"},
	{"cat", "$T/d/g"},
	{"test", "-e", "$T/g"},
	{"mv", "$T/d", "$T/f"},
	{"test", "-d", "$T/d"},
	{"readlink", "$T/f/la"},
	{"cat", "$T/f/la"},
	{"mv", "$T/b2", "$T/b3"},
	{"readlink", "$T/b3"},
	{"rm", "$T/b3"},
	{"test", "-L", "$T/b3"},
	{"ln", "-s", "", "$T/empty"},
	{"ln", "-s", "$T/a", "$T/h", "$T/f/la"},
	{"mv", "$T/h", "$T/f", "$T/nope"},
	{"cp", "", "$T/x"},
	{"mv", "", "$T/x"},
	{"ln", "-s", "self", "$T/self"},
	{"cat", "$T/self"},
	{"readlink", "-f", "$T/l1"},
	{"test", "-e", ""},
	{"cp", "--", "-x", "$T/x"},
	{"ln", "-s", "--", "-x", "$T/dash"},
	{"readlink", "--", "$T/dash"},
	{"dd", "status=none", "of=$T/self"},
	{"test", "-e", "$T/self"},
}

// TestFileToolsAsCoreutils: ln, readlink, cp, mv, test and cat on the
// fake print what GNU coreutils prints here (stdout, stderr, exit code),
// step by step through the same scenario.
func TestFileToolsAsCoreutils(t *testing.T) {
	exectest.RequireTools(t, "ln", "readlink", "cp", "mv", "stat")
	dir := t.TempDir()
	local := &exec.Local{}
	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir("/vt") })
	for _, argv := range fileScenario {
		var stdin []byte
		if argv[0] == "dd" {
			stdin = []byte("data\n")
		}
		sub := func(root string) []string {
			out := make([]string, len(argv))
			for i, a := range argv {
				out[i] = strings.ReplaceAll(a, "$T", root)
			}
			return out
		}
		real, err := local.Run(context.Background(), exec.Cmd{Argv: sub(dir), Stdin: stdin})
		if err != nil {
			t.Fatalf("%v: %v", argv, err)
		}
		fargv := sub("/vt")
		if argv[0] == "stat" { // no stat fake: read the mode from the world
			h.WithLock(func(h *sim.Host) {
				m, _ := h.FileMode(fargv[3])
				if got := strings.TrimSpace(string(real.Stdout)); got != fmt.Sprintf("%o", m) {
					t.Errorf("%v: real mode %s, fake %o", argv, got, m)
				}
			})
			continue
		}
		fake, err := h.Run(context.Background(), exec.Cmd{Argv: fargv, Stdin: stdin})
		if err != nil {
			t.Fatalf("%v: %v", argv, err)
		}
		norm := func(b []byte, root string) string { return strings.ReplaceAll(string(b), root, "$T") }
		if real.Code != fake.Code || norm(real.Stdout, dir) != norm(fake.Stdout, "/vt") || norm(real.Stderr, dir) != norm(fake.Stderr, "/vt") {
			t.Errorf("%v:\nreal rc %d out %q err %q\nfake rc %d out %q err %q", argv,
				real.Code, norm(real.Stdout, dir), norm(real.Stderr, dir), fake.Code, norm(fake.Stdout, "/vt"), norm(fake.Stderr, "/vt"))
		}
	}
}
