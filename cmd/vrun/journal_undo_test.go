package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const stepsStar = `
def main(n = 1, fail_at = ""):
    out = []
    for name in ["a", "b", "c"]:
        if name == fail_at:
            step(name, lambda: fail("boom at " + name))
        out.append(step(name, lambda: {"id": name + str(n)}, what = "thing",
                        undo = lambda v: print("undid " + v["id"])))
    return out
`

// vrun undo JOURNAL replays the done steps from the journal and runs their
// undos, last first; the journal ends "undone".
func TestUndoJournal(t *testing.T) {
	dir := t.TempDir()
	recipe, jpath := filepath.Join(dir, "steps.star"), filepath.Join(dir, "j.json")
	os.WriteFile(recipe, []byte(stepsStar), 0o644)
	code, stdout, stderr := vrunIn(t, "--journal", jpath, recipe, "--fail-at", "c")
	if code != 1 || !strings.Contains(stderr, "step 'c' failed: boom at c") || !strings.Contains(stderr, "created:\n  thing a1\n  thing b1") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = vrunIn(t, "undo", jpath)
	if code != 0 || !strings.Contains(stdout, "undid b1\n<== undo a\nundid a1") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = vrunIn(t, "undo", jpath)
	if code != 0 || !strings.Contains(stderr, "undone already") {
		t.Errorf("second undo: exit %d %s", code, stderr)
	}
}

// Hostile uses of step(): each is refused with a clear error, no panic.
func TestStepRefuses(t *testing.T) {
	dir := t.TempDir()
	for src, want := range map[string]string{
		`step("", lambda: 1)`:                 "want a non-empty one-line step name",
		`step("a\nb", lambda: 1)`:             "want a non-empty one-line step name",
		`step("x", lambda: 1, undo = 3)`:      "undo: got int, want a function or None",
		`step("x", lambda: lambda: 1)`:        "cannot be kept in the journal",
		`step("x", 5)`:                        "fn",
		`step("x", lambda: 1, check = "yes")`: "check: got string",
		`step("x" + "\x00", lambda: 1)`:       "want a non-empty one-line step name",
	} {
		f := filepath.Join(dir, "h.star")
		os.WriteFile(f, []byte(src+"\n"), 0o644)
		code, _, stderr := vrunIn(t, "--sim", f)
		if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "panic") {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s", src, code, want, stderr)
		}
	}
}

// A recipe whose steps changed since the journal is refused on resume
// rather than matched by position.
func TestResumeRefusesChangedSteps(t *testing.T) {
	dir := t.TempDir()
	recipe, jpath := filepath.Join(dir, "steps.star"), filepath.Join(dir, "j.json")
	os.WriteFile(recipe, []byte(stepsStar), 0o644)
	if code, _, _ := vrunIn(t, "--journal", jpath, recipe, "--fail-at", "c"); code != 1 {
		t.Fatal("first run did not fail")
	}
	code, _, stderr := vrunIn(t, "resume", "--journal", jpath, recipe, "--fail-at", "b")
	if code != 2 || !strings.Contains(stderr, `--fail-at: journal "c", now "b"`) {
		t.Errorf("changed flag: exit %d %s", code, stderr)
	}
	os.WriteFile(recipe, []byte(strings.Replace(stepsStar, `"b"`, `"B"`, 1)), 0o644)
	code, _, stderr = vrunIn(t, "resume", "--journal", jpath, recipe, "--fail-at", "c")
	if code != 1 || !strings.Contains(stderr, "the journal's step 2 is 'b' but the recipe's is 'B'") {
		t.Errorf("changed recipe: exit %d %s", code, stderr)
	}
}
