package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vrunIn runs vrun in-process and returns its exit code and output.
func vrunIn(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var outb, errb strings.Builder
	code := run(append([]string{"--sim-speed", "100000"}, args...), strings.NewReader(""), &outb, &errb)
	return code, outb.String(), errb.String()
}

// counted lists, by name, what the kept world holds.
func counted(t *testing.T, dir, world string) map[string]int {
	t.Helper()
	list := filepath.Join(dir, "list.star")
	if err := os.WriteFile(list, []byte(listStar), 0o644); err != nil {
		t.Fatal(err)
	}
	res := jsonRun(t, "--sim-state", world, "--journal", filepath.Join(dir, "list.json"), list)
	n := map[string]int{}
	for kind, items := range res {
		for _, name := range items.(map[string]any) {
			n[kind+" "+name.(string)]++
			n[kind]++
		}
	}
	return n
}

// issue 11: the run fails at createTemplate; vrun resume finishes it
// without a second volume, snapshot or template; a changed parameter is
// refused with the difference.
func TestResumeAfterCreateTemplateFails(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "w.json")
	recipe, _ := filepath.Abs("../../recipes/coreos-template.star")
	t.Setenv("VRUN_SIM_CLOUDSTACK_FAULTS", "createTemplate=fail:533")
	code, _, stderr := vrunIn(t, "--sim-state", world, recipe)
	if code != 1 || !strings.Contains(stderr, "step 'create template' failed") || !strings.Contains(stderr, "  volume ") || !strings.Contains(stderr, "  snapshot ") {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	t.Setenv("VRUN_SIM_CLOUDSTACK_FAULTS", "")
	code, _, stderr = vrunIn(t, "resume", "--sim-state", world, recipe, "--channel", "beta")
	if code != 2 || !strings.Contains(stderr, `--channel: journal "stable", now "beta"`) {
		t.Fatalf("resume with another channel: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := vrunIn(t, "resume", "--sim-state", world, recipe)
	if code != 0 || !strings.Contains(stdout, "==> snapshot (done: snapshot ") || !strings.Contains(stdout, "==> create template\n") {
		t.Fatalf("resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	n := counted(t, dir, world)
	for _, k := range []string{"volume coreos-cluster_disk", "snapshot", "template coreos-cluster-tpl"} {
		if n[k] != 1 {
			t.Errorf("%s: %d in the world, want 1 (%v)", k, n[k], n)
		}
	}
}

// --undo-on-failure takes back every created resource: the world holds
// what it held before the run.
func TestUndoOnFailure(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "w.json")
	recipe, _ := filepath.Abs("../../recipes/coreos-template.star")
	before := counted(t, dir, world)
	t.Setenv("VRUN_SIM_CLOUDSTACK_FAULTS", "createTemplate=fail:533")
	code, _, stderr := vrunIn(t, "--sim-state", world, "--undo-on-failure", "--yes", recipe)
	if code != 1 || !strings.Contains(stderr, "undo create volume") && !strings.Contains(stderr, "undoing its steps") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	after := counted(t, dir, world)
	if len(after) != len(before) {
		t.Errorf("before %v\nafter %v\n%s", before, after, stderr)
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d before, %d after", k, v, after[k])
		}
	}
}
