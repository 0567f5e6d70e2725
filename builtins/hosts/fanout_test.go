package hosts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/interp"
)

// runSrc runs a recipe's source and returns main's result, the error, the
// recap and the interpreter.
func runSrc(t *testing.T, o interp.Options, src string) (starlark.Value, error, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "r.star")
	os.WriteFile(file, []byte(src), 0o644)
	var out bytes.Buffer
	o.Ctx, o.Stdout, o.Stderr = context.Background(), &out, &out
	in, err := interp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	v, err := in.RunRecipe(file, nil)
	if serr := in.SaveWorld(); serr != nil {
		t.Fatal(serr)
	}
	var recap bytes.Buffer
	in.Recap(&recap)
	return v, err, recap.String()
}

// TestSimFleet: under --sim each host is a world of its own, the run's own
// host ("local") another; a failing host does not stop the others and the
// recap says which failed and why.
func TestSimFleet(t *testing.T) {
	v, err, recap := runSrc(t, interp.Options{Sim: true}, `
def main():
    def setup(h):
        h.file.write("/etc/node", h.name)
        if h.name == "node2":
            h.run("false")
        return h.file.read("/etc/node")
    r = on(["node1", "node2", host("node3")], setup, parallel = 2)
    seen = on(["node1", "node3"], lambda h: h.file.read("/etc/node"))
    return [r, seen, host("local").file.exists("/etc/node")]
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `[{"node1": "node1", "node2": None, "node3": "node3"}, {"node1": "node1", "node3": "node3"}, False]` {
		t.Fatalf("got %s", got)
	}
	want := "recap:\n  node1  ok       changed=1\n  node2  failed   changed=1  run: command false exited with rc 1\n  node3  ok       changed=1\n"
	if recap != want {
		t.Fatalf("recap:\n%s\nwant:\n%s", recap, want)
	}
}

// TestStopOnError: the first failure stops the fan-out and on() fails.
func TestStopOnError(t *testing.T) {
	_, err, recap := runSrc(t, interp.Options{Sim: true}, `
def main():
    def f(h):
        if h.name == "a":
            fail("broken disk on " + h.name)
        sleep("10m")  # simulated time; stopped by the failure
    return on(["a", "b", "c"], f, parallel = 2, stop_on_error = True)
`)
	if err == nil || !strings.Contains(err.Error(), "host a failed: fail: broken disk on a (stop_on_error") {
		t.Fatalf("got %v", err)
	}
	// Which of b and c had started when a failed depends on scheduling:
	// either way neither finished.
	lines := strings.Split(recap, "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[1], "  a  failed") {
		t.Fatalf("recap:\n%s", recap)
	}
	for _, l := range lines[2:4] {
		if !strings.Contains(l, "stopped: a failed (stop_on_error)") || strings.Contains(l, " ok ") {
			t.Fatalf("recap:\n%s", recap)
		}
	}
}

// TestSimStateKeepsHosts: --sim-state saves each host's world under
// "hosts" and the next run starts from them.
func TestSimStateKeepsHosts(t *testing.T) {
	state := filepath.Join(t.TempDir(), "w.json")
	o := interp.Options{SimState: state}
	if _, err, _ := runSrc(t, o, `on(["n1", "n2"], lambda h: h.file.write("/etc/id", h.name))`); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(state)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top["hosts"] == nil || top["version"] == nil {
		t.Fatalf("world file: %v %.200s", err, data)
	}
	v, err, _ := runSrc(t, o, `
def main():
    return on(["n1", "n2", "n3"], lambda h: h.file.exists("/etc/id") and h.file.read("/etc/id"))`)
	if err != nil || v.String() != `{"n1": "n1", "n2": "n2", "n3": False}` {
		t.Fatalf("second run: %v %v", v, err)
	}
	var hs map[string]json.RawMessage
	json.Unmarshal(top["hosts"], &hs)
	top["hosts"], _ = json.Marshal(map[string]json.RawMessage{"-x": hs["n1"]})
	data, _ = json.Marshal(top)
	os.WriteFile(state, data, 0o644)
	if _, err := interp.New(interp.Options{SimState: state}); err == nil || !strings.Contains(err.Error(), "not a host name") {
		t.Fatalf("bad host name in world: %v", err)
	}
}

// TestInventoryLimit: --inventory and --limit pick hosts; host vars reach
// recipes; --hosts fills on(None, ...).
func TestInventoryLimit(t *testing.T) {
	inv, _ := filepath.Abs("testdata/hosts.ini")
	v, err, _ := runSrc(t, interp.Options{Sim: true, Inventory: inv, Limit: "storage:!node3", Hosts: "cluster"}, `
def main():
    i = inventory()
    a = on("storage", lambda h: i.hosts[h.name]["zone"])
    b = on(None, lambda h: h.name)
    return [a, sorted(b.keys())]
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `[{"node1": "1", "node2": "1", "node4": "1"}, ["node1", "node2", "node4"]]` {
		t.Fatalf("got %s", got)
	}
}

// TestHostRefuses: names no host has, bad schemes and arguments.
func TestHostRefuses(t *testing.T) {
	for src, want := range map[string]string{
		`host("")`:                             "empty host name",
		`host("-oProxyCommand=x")`:             "looks like an option",
		`host("a b")`:                          "whitespace",
		`host("a\x00b")`:                       "control characters",
		`host("ftp://x")`:                      "unknown scheme",
		`host("ssh://h:0")`:                    "want 1-65535",
		`host("ssh://h/path")`:                 "want ssh://",
		`host("sim://")`:                       "want sim://NAME",
		`host("local", become = True)`:         "run vrun itself as root",
		`on(["a"], lambda h: 1, parallel = 0)`: "parallel: got 0",
		`on([1], lambda h: 1)`:                 "want host names",
		`on(None, lambda h: 1)`:                "no --hosts",
		`inventory()`:                          "no inventory",
		`host("a").on`:                         "has no .on field",
	} {
		_, err, _ := runSrc(t, interp.Options{Sim: true}, src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
		var ue *interp.UsageError
		if errors.As(err, &ue) {
			t.Errorf("%s: a run-time error, not a usage error", src)
		}
	}
}
