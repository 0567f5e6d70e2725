package core_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// fileOpsScenario runs every file operation twice (the second must change
// nothing) and its refusals, collecting results and errors.
const fileOpsScenario = `
out = []
def rec(name, fn, *a, **kw):
    r = catch(fn, *a, **kw)
    out.append((name, r.value, r.error))
d = base + "/tree/centos/5"
rec("mkdir", file.mkdir, d)
rec("mkdir again", file.mkdir, d)
rec("mkdir mode", file.mkdir, d + "/os", mode = 0o750)
rec("mkdir mode again", file.mkdir, d + "/os", mode = "0750")
file.write(base + "/f", "one\n")
rec("mkdir under file", file.mkdir, base + "/f/x")
rec("mkdir dash", file.mkdir, "-p")
rec("mkdir empty", file.mkdir, "")
rec("symlink", file.symlink, "RPMS", d + "/os/i386")
rec("symlink again", file.symlink, "RPMS", d + "/os/i386")
rec("symlink moved", file.symlink, "Packages", d + "/os/i386")
rec("symlink over file", file.symlink, "x", base + "/f")
rec("symlink over dir", file.symlink, "x", d)
rec("copy", file.copy, base + "/f", base + "/g")
rec("copy again", file.copy, base + "/f", base + "/g", mode = 0o600)
rec("copy same mode", file.copy, base + "/f", base + "/g", mode = 0o600)
file.write(base + "/h", "two\n")
rec("copy over other", file.copy, base + "/h", base + "/g")
rec("copy over other confirmed", file.copy, base + "/h", base + "/g", confirm = True)
rec("copy into dir", file.copy, base + "/h", d)
rec("copy missing", file.copy, base + "/nope", base + "/x")
rec("copy tree", file.copy, d, base + "/tree2")
rec("copy tree again", file.copy, d, base + "/tree2")
rec("rename", file.rename, base + "/g", base + "/g2")
rec("rename again", file.rename, base + "/g", base + "/g2")
rec("rename over", file.rename, base + "/h", base + "/g2")
rec("rename over confirmed", file.rename, base + "/h", base + "/g2", confirm = True)
rec("rename into dir", file.rename, base + "/g2", d)
rec("rename missing", file.rename, base + "/nope", base + "/nope2")
rec("chmod", file.chmod, base + "/g2", 0o640)
rec("chmod again", file.chmod, base + "/g2", "0640")
rec("chmod tree", file.chmod, base + "/tree2", 0o700, recursive = True)
rec("chmod tree again", file.chmod, base + "/tree2", 0o700, recursive = True)
rec("chmod bad", file.chmod, base + "/g2", "rw")
rec("chmod missing", file.chmod, base + "/nope", 0o600)
rec("chown", file.chown, base + "/tree2", user, group = user, recursive = True)
rec("chown again", file.chown, base + "/tree2", user, group = user, recursive = True)
rec("chown one", file.chown, base + "/g2", user)
rec("chown no user", file.chown, base + "/g2", "nosuchuser9")
rec("chown colon", file.chown, base + "/g2", "a:b")
rec("remove unconfirmed", file.remove, base + "/g2")
rec("remove", file.remove, base + "/g2", confirm = True)
rec("remove again", file.remove, base + "/g2", confirm = True)
rec("remove dir", file.remove, base + "/tree2", confirm = True)
rec("remove tree", file.remove, base + "/tree2", recursive = True, confirm = True)
rec("remove root", file.remove, "/", recursive = True, confirm = True)
rec("remove root2", file.remove, "//.", recursive = True, confirm = True)
rec("exists after", file.exists, base + "/tree2")
`

func runFileOps(t *testing.T, base, user string, h *sim.Host) string {
	t.Helper()
	var buf bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &buf, Stderr: &buf, SimHost: h})
	in.Predeclared["base"] = starlark.String(base)
	in.Predeclared["user"] = starlark.String(user)
	g, err := in.ExecFile(in.Thread("file"), "fileops.star", []byte(fileOpsScenario))
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	var lines []string
	l := g["out"].(*starlark.List)
	for i := 0; i < l.Len(); i++ {
		lines = append(lines, l.Index(i).String())
	}
	return strings.Join(lines, "\n")
}

// TestFileOpsRealMatchesSim: the same operations on coreutils in a temp
// dir and on the simulated host give the same results, changes and errors.
func TestFileOpsRealMatchesSim(t *testing.T) {
	exectest.RequireTools(t, "mkdir", "ln", "readlink", "cp", "mv", "rm", "chmod", "chown", "sha256sum", "useradd", "userdel")
	exectest.RequireRoot(t)
	const user = "vrunfileops"
	useraddRetry(t, "-M", "-U", user)
	base := t.TempDir()
	real := runFileOps(t, base, user, nil)

	h := sim.New()
	h.WithLock(func(h *sim.Host) {
		h.MakeDir(base)
		sim.AccountsOf(h).Users = append(sim.AccountsOf(h).Users, &sim.User{Name: user, UID: 1000, GID: 1000, Home: "/home/" + user, Shell: "/bin/sh"})
	})
	simulated := runFileOps(t, base, user, h)
	if real != simulated {
		rl, sl := strings.Split(real, "\n"), strings.Split(simulated, "\n")
		for i := range rl {
			if i < len(sl) && rl[i] != sl[i] {
				t.Errorf("step %d differs:\nreal: %s\nsim:  %s", i, rl[i], sl[i])
			}
		}
	}
	for _, want := range []string{`("mkdir", True, None)`, `("mkdir again", False, None)`, `("symlink again", False, None)`,
		`("copy again", True, None)`, `("copy same mode", False, None)`, `("rename again", False, None)`,
		`("chown again", False, None)`, `("remove again", False, None)`, `("exists after", False, None)`} {
		if !strings.Contains(real, want) {
			t.Errorf("real results lack %s:\n%s", want, real)
		}
	}
	t.Logf("\n%s", real)
}
