package qemu_test

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStar(t *testing.T) {
	startest.Run(t, "testdata/*.star", startest.Options{})
}

// With /dev/kvm on the target, kvm = "auto" and True add -enable-kvm.
func TestKVMPresent(t *testing.T) {
	startest.RunFile(t, "testdata/kvm.star.txt", startest.Options{Setup: func(h *sim.Host) {
		h.WriteFile("/dev/kvm", nil, 0o660)
	}})
}

// runScenario runs scenario(dir) from testdata/scenario.star.txt.
func runScenario(t *testing.T, o interp.Options, dir string) (any, string) {
	t.Helper()
	src, err := os.ReadFile("testdata/scenario.star.txt")
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	o.Ctx, o.Stdout, o.Stderr = context.Background(), &stderr, &stderr
	in := interp.MustNew(o)
	th := in.Thread("scenario")
	g, err := in.ExecFile(th, "scenario.star", src)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	v, err := starlark.Call(th, g["scenario"], starlark.Tuple{starlark.String(dir)}, nil)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	out, err := starutil.FromValue(v)
	if err != nil {
		t.Fatal(err)
	}
	return out, stderr.String()
}

// The same builtin calls on the real qemu-img and on the simulated host
// give the same values (sizes, formats, backing files, snapshots, errors).
func TestBuiltinsSimMatchReal(t *testing.T) {
	exectest.RequireTools(t, "qemu-img")
	dir := t.TempDir()
	real, _ := runScenario(t, interp.Options{}, dir)
	simulated, _ := runScenario(t, interp.Options{SimHost: simHost(t)}, dir)
	r, s := real.(map[string]any), simulated.(map[string]any)
	for k := range r {
		if !reflect.DeepEqual(r[k], s[k]) {
			t.Errorf("%s:\nreal %v\nsim  %v", k, r[k], s[k])
		}
	}
	if len(r) != len(s) || len(r) < 15 {
		t.Errorf("got %d real and %d simulated results", len(r), len(s))
	}
	if e, _ := r["exists"].(string); !strings.Contains(e, "confirm = True") {
		t.Errorf("creating over an existing image: got %q, want a confirm error", e)
	}
}

func simHost(t testing.TB) *sim.Host { return startest.SimHost(t) }

// Without /dev/kvm, kvm = "auto" falls back to TCG and says so on stderr
// (unless -q).
func TestTCGWarning(t *testing.T) {
	var stderr bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), SimHost: simHost(t), Stderr: &stderr})
	src := `argv = qemu.system_argv(drives = ["sheepdog:papeete"])`
	g, err := in.ExecFile(in.Thread("t"), "t.star", []byte(src))
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	if strings.Contains(g["argv"].String(), "-enable-kvm") {
		t.Errorf("argv %s has -enable-kvm without /dev/kvm", g["argv"])
	}
	if w := stderr.String(); !strings.Contains(w, "qemu.system_argv: warning: the target has no /dev/kvm") || !strings.Contains(w, "TCG") {
		t.Errorf("got stderr %q, want the TCG warning", w)
	}
}

// This machine's qemu-img (7.2) has no sheepdog driver: the error says so.
func TestRealQemuWithoutSheepdog(t *testing.T) {
	exectest.RequireTools(t, "qemu-img")
	in := interp.MustNew(interp.Options{Ctx: context.Background()})
	_, err := in.ExecFile(in.Thread("t"), "t.star", []byte(`qemu.img.create("sheepdog:vrun-test-none", "1G")`))
	if err == nil || !strings.Contains(err.Error(), "no sheepdog driver (removed in QEMU 6.0)") {
		t.Errorf("got %v", err)
	}
}
