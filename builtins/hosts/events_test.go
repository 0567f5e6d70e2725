package hosts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp"
)

// TestJSONEventsNameTheHost: under --output json, print() and warnings
// from a thread of on() carry a "host" field, and those of the run's own
// thread do not (the fan-out's lines can be told apart).
func TestJSONEventsNameTheHost(t *testing.T) {
	file := filepath.Join(t.TempDir(), "r.star")
	os.WriteFile(file, []byte(`
def main():
    print("start")
    on(["node1", "node2"], lambda h: print("on " + h.name))
    on(["node3"], lambda h: h.run("true", "-v", check = False), parallel = 1)
`), 0o644)
	var out bytes.Buffer
	in, err := interp.New(interp.Options{Sim: true, Ctx: context.Background(), Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.Env.JSONEvents, in.Env.Verbose = true, true
	if _, err := in.RunRecipe(file, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{} // text -> host
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var ev map[string]string
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not a JSON event: %q (%v)", line, err)
		}
		got[ev["event"]+" "+ev["text"]] = ev["host"]
	}
	want := map[string]string{"print start": "", "print on node1": "node1", "print on node2": "node2", "trace [node3] true -v": "node3"}
	for k, host := range want {
		h, ok := got[k]
		if !ok || h != host {
			t.Errorf("event %q: host %q (found %v), want %q; all: %v", k, h, ok, host, got)
		}
	}
}
