package core_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// fileScenario exercises every file builtin under base and collects what
// each returned, so the real tools and the simulated host can be compared.
const fileScenario = `
out = {}
p = base + "/fstab"
out["exists_before"] = file.exists(p)
out["read_missing"] = catch(file.read, p).error
out["add"] = file.ensure_line(p, "/dev/vg/data /data ext4 defaults 0 0")
out["add_again"] = file.ensure_line(p, "/dev/vg/data /data ext4 defaults 0 0")
file.write(p, "UUID=1 / ext4 defaults 0 1\n/dev/vg/data /data ext4 defaults 0 0\nproc /proc proc defaults 0 0", mode = 0o600)
out["exists_after"] = file.exists(p)
out["replace_line"] = file.ensure_line(p, "/dev/vg/data /data ext4 defaults,user_xattr 0 0", match = r"^\S+\s+/data\s")
out["append_after_unterminated"] = file.ensure_line(p, "tmpfs /tmp tmpfs defaults 0 0")
out["sub"] = file.replace(p, r"^UUID=(\d+)", "UUID=abc$1", groups = True)
out["sub_none"] = file.replace(p, "^nomatch$", "x")
out["content"] = file.read(p)
out["replace_missing"] = catch(file.replace, base + "/nope", "a", "b").error
`

func runFileScenario(t *testing.T, base string, h *sim.Host) string {
	t.Helper()
	var buf bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &buf, Stderr: &buf, SimHost: h})
	in.Predeclared["base"] = starlark.String(base)
	g, err := in.ExecFile(in.Thread("file"), "file.star", []byte(fileScenario))
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	return g["out"].String()
}

func TestFileRealMatchesSim(t *testing.T) {
	exectest.RequireTools(t, "cat", "dd", "test", "chmod")
	base := t.TempDir()
	real := runFileScenario(t, base, nil)

	h := sim.New()
	h.WithLock(func(h *sim.Host) { h.MakeDir(base) }) // t.TempDir made it on the real host
	simulated := runFileScenario(t, base, h)
	if real != simulated {
		t.Errorf("real and simulated results differ:\nreal: %s\nsim:  %s", real, simulated)
	}
	want := `"content": "UUID=abc1 / ext4 defaults 0 1\n/dev/vg/data /data ext4 defaults,user_xattr 0 0\nproc /proc proc defaults 0 0\ntmpfs /tmp tmpfs defaults 0 0\n"`
	if !bytes.Contains([]byte(real), []byte(want)) {
		t.Errorf("real result %s lacks %s", real, want)
	}
	st, err := os.Stat(filepath.Join(base, "fstab"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("real file mode = %v, %v; want 0600 kept across rewrites", st.Mode().Perm(), err)
	}
	h.WithLock(func(h *sim.Host) {
		if m, _ := h.FileMode(base + "/fstab"); m != 0o600 {
			t.Errorf("simulated file mode = %#o, want 0600", m)
		}
	})
}
