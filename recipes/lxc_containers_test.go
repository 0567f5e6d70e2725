package recipes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/lxc/lxctest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

const lxcRecipe = "lxc-containers.star"

// lxcRun runs the recipe once: on ex (the real host), else on the world
// file (--sim-state), else on h. It returns the result as JSON, or the
// error's text.
func lxcRun(t *testing.T, o interp.Options, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	o.Ctx, o.Stdout, o.Stderr = ctx, &out, &out
	if o.Exec == nil {
		o.Clock = env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)
	}
	in := interp.MustNew(o)
	res, err := in.RunRecipe(lxcRecipe, args)
	t.Logf("vrun %s:\n%s", strings.Join(args, " "), out.String())
	if o.SimState != "" {
		if serr := in.SaveWorld(); serr != nil {
			t.Fatal(serr)
		}
	}
	if err != nil {
		return "", err
	}
	v, cerr := starutil.FromValue(res)
	if cerr != nil {
		t.Fatal(cerr)
	}
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b), nil
}

func mustLXCRun(t *testing.T, o interp.Options, args ...string) map[string]any {
	t.Helper()
	out, err := lxcRun(t, o, args...)
	if err != nil {
		t.Fatalf("recipe failed: %s", interp.Render(err))
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// In one kept world: the first run builds everything, the second changes
// nothing (the world file is the same byte for byte), --destroy needs
// --yes and then removes the containers.
func TestLXCContainersSimTwice(t *testing.T) {
	world := filepath.Join(t.TempDir(), "w.json")
	o := interp.Options{SimState: world}
	first := mustLXCRun(t, o)
	if first["changed"].(float64) == 0 {
		t.Fatalf("first run changed nothing: %v", first)
	}
	after1, _ := os.ReadFile(world)
	second := mustLXCRun(t, o)
	if second["changed"].(float64) != 0 {
		t.Errorf("second run changed %v things", second["changed"])
	}
	after2, _ := os.ReadFile(world)
	if !bytes.Equal(after1, after2) {
		t.Errorf("the second run changed the world file")
	}
	for _, name := range []string{"web", "db"} {
		c := second["containers"].(map[string]any)[name].(map[string]any)
		if c["state"] != "RUNNING" {
			t.Errorf("%s: %v, want RUNNING", name, c)
		}
	}
	if _, err := lxcRun(t, o, "--destroy"); err == nil || !strings.Contains(err.Error(), "pass confirm = True (or --yes)") {
		t.Fatalf("--destroy without --yes: got %v", err)
	}
	o.Yes = true
	if got := mustLXCRun(t, o, "--destroy"); got["changed"].(float64) != 2 {
		t.Errorf("--destroy --yes: %v", got)
	}
	if got := mustLXCRun(t, o, "--destroy"); got["changed"].(float64) != 0 {
		t.Errorf("--destroy again: %v", got)
	}
}

// A copy that fails (the file's directory is not in the container's
// rootfs) fails the recipe, and the container is thawed again.
func TestLXCContainersThawOnCopyFailure(t *testing.T) {
	h := startest.SimHost(t)
	h.WithLock(func(h *sim.Host) {
		h.MakeDir("/srv/app")
		h.WriteFile("/srv/app/app.conf", []byte("x = 1\n"), 0o644)
	})
	_, err := lxcRun(t, interp.Options{SimHost: h}, "--containers", "web", "--files", "/etc/hosts,/srv/app/app.conf")
	if err == nil || !strings.Contains(err.Error(), "copying into web failed (the container was unfrozen: yes)") {
		t.Fatalf("got %v, want the copy's failure", err)
	}
	r, _ := h.Run(context.Background(), exec.Cmd{Argv: []string{"lxc-info", "-n", "web", "-s", "-H"}})
	if got := strings.TrimSpace(string(r.Stdout)); got != "RUNNING" {
		t.Errorf("web is %s after the failed copy, want RUNNING (thawed)", got)
	}
}

// The recipe's flow for real: busybox containers under a private lxcpath,
// the bridge made by the recipe in a network namespace of the test's with
// a veth as the uplink; twice (the second changes nothing), a failing copy
// (thawed), then --destroy --yes. The simulated host, given the same
// uplink, files and paths, reports the same containers.
func TestLXCContainersReal(t *testing.T) {
	lxctest.Require(t)
	ns := lxctest.NewNetns(t, "")
	ctx := context.Background()
	for _, argv := range [][]string{{"ip", "link", "add", "vrunup0", "type", "veth", "peer", "name", "vrunup1"}} {
		if r, err := ns.Run(ctx, exec.Cmd{Argv: argv}); err != nil || r.Code != 0 {
			t.Fatalf("%v: %v %s", argv, err, r.Stderr)
		}
	}
	p := lxctest.Path(t, ns)
	dir := t.TempDir()
	ifaces := filepath.Join(dir, "interfaces")
	if err := os.WriteFile(ifaces, []byte("auto lo\niface lo inet loopback\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--bridge", "vrunbr1", "--uplink", "vrunup0", "--containers", "bb1,bb2", "--template", "busybox",
		"--memory", "64M", "--files", "/etc/passwd,/etc/group,/etc/hosts", "--lxcpath", p, "--interfaces", ifaces}
	o := interp.Options{Exec: ns}
	first := mustLXCRun(t, o, args...)
	second := mustLXCRun(t, o, args...)
	if second["changed"].(float64) != 0 {
		t.Errorf("second real run changed %v things", second["changed"])
	}
	stanza, _ := os.ReadFile(ifaces)
	if !strings.Contains(string(stanza), "iface vrunbr1 inet dhcp\n\tbridge_ports vrunup0\n\tbridge_fd 0\n\tbridge_maxwait 0\n") {
		t.Errorf("interfaces:\n%s", stanza)
	}

	// The same on the simulated host.
	h := startest.SimHost(t)
	h.WithLock(func(h *sim.Host) {
		h.MakeDir(dir)
		h.MakeDir(p)
		h.WriteFile(ifaces, []byte("auto lo\niface lo inet loopback\n"), 0o644)
		for _, f := range []string{"/etc/passwd", "/etc/group", "/etc/hosts"} {
			data, _ := os.ReadFile(f)
			h.WriteFile(f, data, 0o644)
		}
	})
	if r, err := h.Run(ctx, exec.Cmd{Argv: []string{"ip", "link", "add", "vrunup0", "type", "veth", "peer", "name", "vrunup1"}}); err != nil || r.Code != 0 {
		t.Fatalf("sim ip: %v %s", err, r.Stderr)
	}
	simFirst := mustLXCRun(t, interp.Options{SimHost: h}, args...)
	if a, b := js(first["containers"]), js(simFirst["containers"]); a != b {
		t.Errorf("containers differ:\nreal %s\nsim  %s", a, b)
	}
	if first["changed"] != simFirst["changed"] {
		t.Errorf("changes: real %v, sim %v", first["changed"], simFirst["changed"])
	}

	// A failing copy leaves the container running, not frozen.
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "app", "app.conf")
	os.WriteFile(conf, []byte("x = 1\n"), 0o644)
	failArgs := append(append([]string{}, args...), "--files", "/etc/hosts,"+conf)
	if _, err := lxcRun(t, o, failArgs...); err == nil || !strings.Contains(err.Error(), "copying into bb1 failed (the container was unfrozen: yes)") {
		t.Fatalf("got %v, want the copy's failure", err)
	}
	r, _ := ns.Run(ctx, exec.Cmd{Argv: []string{"lxc-info", "-P", p, "-n", "bb1", "-s", "-H"}})
	if got := strings.TrimSpace(string(r.Stdout)); got != "RUNNING" {
		t.Errorf("bb1 is %s after the failed copy, want RUNNING", got)
	}

	o.Yes = true
	if got := mustLXCRun(t, o, append(args, "--destroy")...); got["changed"].(float64) != 2 {
		t.Errorf("--destroy --yes: %v", got)
	}
	r, _ = ns.Run(ctx, exec.Cmd{Argv: []string{"lxc-ls", "-P", p, "-1"}})
	if strings.TrimSpace(string(r.Stdout)) != "" {
		t.Errorf("containers left after --destroy: %q", r.Stdout)
	}
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
