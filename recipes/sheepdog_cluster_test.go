package recipes_test

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

const clusterRecipe = "sheepdog-cluster.star"

// clusterRun runs the cluster recipe on the simulated fleet kept in state
// and returns its output, error and recap.
func clusterRun(t *testing.T, state string, src string, args ...string) (string, error, string) {
	t.Helper()
	return clusterRunWith(t, interp.Options{SimState: state}, src, args...)
}

func clusterRunWith(t *testing.T, o interp.Options, src string, args ...string) (string, error, string) {
	t.Helper()
	var out bytes.Buffer
	o.Ctx, o.Stdout, o.Stderr = context.Background(), &out, &out
	in, err := interp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if src == "" {
		src = clusterRecipe
	}
	_, err = in.RunRecipe(src, args)
	if serr := in.SaveWorld(); serr != nil {
		t.Fatal(serr)
	}
	var recap bytes.Buffer
	in.Recap(&recap)
	return out.String(), err, recap.String()
}

// fleetClusters reads the sheepdog clusters the fleet shares from a world
// file: identity -> {Nodes, Epochs}.
func fleetClusters(t *testing.T, state string) map[string]struct {
	Formatted bool
	Nodes     []struct{ Host string }
	Epochs    []json.RawMessage
} {
	t.Helper()
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Fleet struct {
			Sheepdog map[string]struct {
				Formatted bool
				Nodes     []struct{ Host string }
				Epochs    []json.RawMessage
			} `json:"sheepdog"`
		} `json:"fleet"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	return w.Fleet.Sheepdog
}

// TestSheepdogClusterSim: on three simulated nodes the recipe makes one
// cluster of the three (each node sees all of them), formatted once; a
// second run changes nothing and formats nothing.
func TestSheepdogClusterSim(t *testing.T) {
	state := filepath.Join(t.TempDir(), "w.json")
	out, err, recap := clusterRun(t, state, "")
	if err != nil {
		t.Fatalf("%s\n%s\n%s", interp.Render(err), out, recap)
	}
	for _, want := range []string{
		"node3: changed: created VolGroup/lv_data from the free extents (9.57 GiB)",
		"node2: changed: started sheepdog",
		"node1: changed: formatted the sheepdog cluster (copies = 3)",
		"sheepdog cluster of 3 node(s), 3 copies: 172.16.3.11:7000, 172.16.3.12:7000, 172.16.3.13:7000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first run lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "formatted the sheepdog cluster") != 1 || strings.Contains(recap, "failed") {
		t.Errorf("want one format and no failure:\n%s\n%s", out, recap)
	}
	clusters := fleetClusters(t, state)
	if len(clusters) != 1 {
		t.Fatalf("want one shared cluster, got %d: %v", len(clusters), clusters)
	}
	for id, c := range clusters {
		if !c.Formatted || len(c.Nodes) != 3 || len(c.Epochs) != 1 {
			t.Errorf("cluster %s: formatted %v, %d nodes, %d epochs; want formatted once with 3 nodes", id, c.Formatted, len(c.Nodes), len(c.Epochs))
		}
	}
	before, _ := os.ReadFile(state)

	out, err, recap = clusterRun(t, state, "")
	if err != nil {
		t.Fatalf("second run: %s\n%s", interp.Render(err), out)
	}
	if strings.Contains(out, "changed:") || !strings.Contains(out, "nothing to change") ||
		!strings.Contains(out, "node1: ok:      the sheepdog cluster is formatted") ||
		!strings.Contains(out, "sheepdog cluster of 3 node(s)") {
		t.Errorf("second run:\n%s\n%s", out, recap)
	}
	after, _ := os.ReadFile(state)
	if fleet := func(b []byte) string {
		var w map[string]json.RawMessage
		json.Unmarshal(b, &w)
		return string(w["fleet"])
	}; fleet(before) != fleet(after) {
		t.Errorf("the second run changed the cluster:\n%s\n%s", fleet(before), fleet(after))
	}
}

// TestSheepdogClusterOneNodeFails: a node that refuses (its corosync
// example is missing, so the recipe cannot configure it) is failed in the
// recap with the reason; the two others make the cluster, of two nodes.
func TestSheepdogClusterOneNodeFails(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "w.json")
	touch := filepath.Join(dir, "touch.star")
	os.WriteFile(touch, []byte(`def main():
    return on("node1,node2,node3", lambda h: h.name)
`), 0o644)
	if _, err, _ := clusterRun(t, state, touch); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(state)
	var w map[string]any
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	files := w["hosts"].(map[string]any)["node2"].(map[string]any)["files"].(map[string]any)
	if _, ok := files["/etc/corosync/corosync.conf.example"]; !ok {
		t.Fatalf("node2 has no corosync example to remove: %v", files)
	}
	delete(files, "/etc/corosync/corosync.conf.example")
	data, _ = json.Marshal(w)
	os.WriteFile(state, data, 0o644)

	out, err, recap := clusterRun(t, state, "")
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	if !strings.Contains(recap, "node2  failed") || !strings.Contains(recap, "corosync.conf.example") ||
		!strings.Contains(recap, "node1  ok") || !strings.Contains(recap, "node3  ok") {
		t.Errorf("recap:\n%s", recap)
	}
	if !strings.Contains(out, "node2: failed (see the recap), left out of the cluster") ||
		!strings.Contains(out, "sheepdog cluster of 2 node(s), 2 copies: 172.16.3.11:7000, 172.16.3.13:7000") {
		t.Errorf("output:\n%s", out)
	}
}

// TestSheepdogClusterCopiesAboveNodes: asking for more copies than nodes
// is refused before the format.
func TestSheepdogClusterCopiesAboveNodes(t *testing.T) {
	state := filepath.Join(t.TempDir(), "w.json")
	out, err, _ := clusterRun(t, state, "", "--nodes", "node1,node2", "--copies", "3")
	if err == nil || !strings.Contains(err.Error(), "--copies 3, but only 2 node(s) are ready") || strings.Contains(out, "formatted") {
		t.Fatalf("got %v\n%s", err, out)
	}
}

// TestSheepdogClusterInventory: the nodes of an inventory group, each
// simulated with its ansible_host as address, --limit narrowing them.
func TestSheepdogClusterInventory(t *testing.T) {
	o := interp.Options{Sim: true, Inventory: "testdata/sheepdog-cluster.ini", Limit: "sheepdog:!store2"}
	out, err, recap := clusterRunWith(t, o, "", "--nodes", "sheepdog")
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	if !strings.Contains(out, "sheepdog cluster of 2 node(s), 2 copies: 172.16.3.21:7000, 172.16.3.23:7000") || strings.Contains(recap, "store2") {
		t.Errorf("output:\n%s\n%s", out, recap)
	}
}
