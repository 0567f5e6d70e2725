package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// listStar lists, through the simulator, what a kept world holds.
const listStar = `
def main():
    cs = cloudstack.client()
    out = {}
    for kind, api, extra in [("volume", "listVolumes", {}), ("snapshot", "listSnapshots", {}),
                             ("template", "listTemplates", {"templatefilter": "self"})]:
        out[kind] = {it["id"]: it["name"] for it in cs.list(api, **extra)}
    return out
`

// jsonRun runs vrun with --output json and decodes the result.
func jsonRun(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var outb, errb strings.Builder
	code := run(append([]string{"--output", "json", "--sim-speed", "100000"}, args...), strings.NewReader(""), &outb, &errb)
	out, stderr := outb.String(), errb.String()
	var res map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("vrun %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, stderr)
	}
	return res
}

// issue 9: `vrun --sim --sim-state w.json recipes/coreos-template.star`
// twice. The second run starts from the first one's cloud: its volume,
// snapshot and template are still there (in the file and served by the
// simulator), and the second run's ids are new ones, not the first's again.
func TestSimStateKeepsCloudStackWorld(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "w.json")
	list := filepath.Join(dir, "list.star")
	if err := os.WriteFile(list, []byte(listStar), 0o644); err != nil {
		t.Fatal(err)
	}
	recipe, err := filepath.Abs("../../recipes/coreos-template.star")
	if err != nil {
		t.Fatal(err)
	}
	first := jsonRun(t, "--sim", "--sim-state", world, recipe)
	// Another name: the recipe finds and reuses what a same-named run made
	// (issue 11); a different one shows the ids going on.
	second := jsonRun(t, "--sim", "--sim-state", world, recipe, "--name", "coreos-b")
	names := map[string]string{"volume": "coreos-cluster_disk", "snapshot": "", "template": "coreos-cluster-tpl"}
	for kind := range names {
		if first[kind] == second[kind] || first[kind] == nil {
			t.Errorf("%s: first run %v, second run %v: want two distinct ids", kind, first[kind], second[kind])
		}
	}

	// The world file lists both runs' objects, every id once.
	data, err := os.ReadFile(world)
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Modules struct {
			CloudStack map[string]json.RawMessage `json:"cloudstack"`
		} `json:"modules"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	inFile := map[string]map[string]string{}
	seen := map[string]bool{}
	for kind, key := range map[string]string{"volume": "volumes", "snapshot": "snapshots", "template": "templates", "job": "jobs", "vm": "vms"} {
		var items []map[string]any
		if err := json.Unmarshal(w.Modules.CloudStack[key], &items); err != nil {
			t.Fatalf("world file %s: %v", key, err)
		}
		inFile[kind] = map[string]string{}
		for _, it := range items {
			id, _ := it["id"].(string)
			if seen[id] {
				t.Errorf("id %s twice in the world", id)
			}
			seen[id] = true
			name, _ := it["name"].(string)
			inFile[kind][id] = name
		}
	}

	// The simulator, loading the file, serves them too.
	served := jsonRun(t, "--sim", "--sim-state", world, list)
	for kind, name := range names {
		byID, _ := served[kind].(map[string]any)
		for _, run := range []map[string]any{first, second} {
			id, _ := run[kind].(string)
			if _, ok := inFile[kind][id]; !ok {
				t.Errorf("world file lacks %s %s", kind, id)
			}
			got, ok := byID[id].(string)
			if run["volume"] == second["volume"] && name != "" { // the second run's names
				name = strings.Replace(name, "coreos-cluster", "coreos-b", 1)
			}
			if !ok || (name != "" && got != name) || inFile[kind][id] != got {
				t.Errorf("simulator: %s %s is %q (in file %q), want %q; served %v", kind, id, got, inFile[kind][id], name, byID)
			}
		}
	}
}

// `vrun sim world` prints the default world with the simulated cloud.
func TestSimWorldShowsCloudStack(t *testing.T) {
	code, out, stderr := runCLI(t, "sim", "world")
	var w struct {
		Modules map[string]struct {
			Zones []struct{ Name string } `json:"zones"`
			VMs   []struct {
				DisplayName string `json:"displayname"`
			} `json:"vms"`
		} `json:"modules"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &w) != nil {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	cs, ok := w.Modules["cloudstack"]
	if !ok || len(cs.Zones) != 2 || cs.Zones[0].Name != "zone1" || len(cs.VMs) != 1 || cs.VMs[0].DisplayName != "my-workstation" {
		t.Errorf("vrun sim world: cloudstack part %+v (present %v)", cs, ok)
	}
}
