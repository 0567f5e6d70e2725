package sim_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	vexec "github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// fileOpsScenario drives mkdir, rm, chmod and chown with the -v/-c
// reports file.* reads; $T is the directory, $U a throwaway user.
var fileOpsScenario = [][]string{
	{"mkdir", "-p", "-v", "$T/a/b/c"},
	{"mkdir", "-p", "-v", "$T/a/b"},
	{"mkdir", "-v", "$T/a"},
	{"mkdir", "$T/x/y"},
	{"mkdir", "-p", "-v", ""},
	{"mkdir"},
	{"dd", "status=none", "of=$T/f"},
	{"mkdir", "-p", "-v", "$T/f"},
	{"mkdir", "-p", "-v", "$T/f/x"},
	{"mkdir", "-p", "-v", "-m", "700", "--", "$T/m/n"},
	{"stat", "-c", "%a", "$T/m", "$T/m/n"},
	{"chmod", "-c", "600", "--", "$T/f"},
	{"chmod", "-c", "600", "$T/f"},
	{"chmod", "-c", "2755", "$T/m"},
	{"chmod", "-c", "1700", "$T/m"},
	{"chmod", "-c", "4644", "$T/f"},
	{"chmod", "-c", "9", "$T/f"},
	{"chmod", "-c", "600", "$T/nope"},
	{"chmod", "600"},
	{"chmod"},
	{"chmod", "-c", "-R", "755", "$T/m"},
	{"stat", "-c", "%a %U %G", "$T/f", "$T/m"},
	{"chown", "-c", "$U", "$T/f"},
	{"chown", "-c", "$U", "$T/f"},
	{"chown", "-c", "$U:$U", "--", "$T/f"},
	{"chown", "-c", "root:root", "$T/f"},
	{"chown", "-c", "nosuchuser9", "$T/f"},
	{"chown", "-c", "$U", "$T/nope"},
	{"stat", "-c", "%a %U %G", "$T/f"},
	{"rm", "-v", "$T/f"},
	{"rm", "-v", "$T/f"},
	{"rm", "-f", "-v", "$T/f"},
	{"rm", "-v", "$T/a"},
	{"rm", "-r", "-v", "$T/a"},
	{"rm", "-rf", "-v", "--", "$T/m"},
	{"rm", "-v", ""},
	{"rm"},
	{"rm", "-f"},
	{"test", "-e", "$T/m"},
}

// TestFileOpsAsCoreutils runs the scenario on the real tools in a temp
// dir and on the fake under /vt, comparing rc, stdout and stderr.
func TestFileOpsAsCoreutils(t *testing.T) {
	exectest.RequireTools(t, "mkdir", "rm", "chmod", "chown", "stat", "useradd", "userdel")
	exectest.RequireRoot(t)
	user := "vrunfotest"
	for i := 0; ; i++ { // another test may hold the passwd lock (exit 10)
		out, err := exec.Command("useradd", "-M", "-U", user).CombinedOutput()
		if err == nil {
			break
		}
		if !strings.Contains(string(out), "lock") || i == 50 {
			t.Fatalf("useradd: %v: %s", err, out)
		}
	}
	t.Cleanup(func() { _ = exec.Command("userdel", user).Run() })
	dir := t.TempDir()
	local := &vexec.Local{}
	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir("/vt") })
	if r, err := h.Run(context.Background(), vexec.Cmd{Argv: []string{"useradd", "-M", "-U", user}}); err != nil || r.Code != 0 {
		t.Fatalf("fake useradd: %v %s", err, r.Stderr)
	}
	for _, argv := range fileOpsScenario {
		sub := func(root string) []string {
			out := make([]string, len(argv))
			for i, a := range argv {
				out[i] = strings.ReplaceAll(strings.ReplaceAll(a, "$T", root), "$U", user)
			}
			return out
		}
		stdin := []byte("data\n")
		real, err := local.Run(context.Background(), vexec.Cmd{Argv: sub(dir), Stdin: stdin})
		if err != nil {
			t.Fatalf("%v: %v", argv, err)
		}
		fake, err := h.Run(context.Background(), vexec.Cmd{Argv: sub("/vt"), Stdin: stdin})
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
