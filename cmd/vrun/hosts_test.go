package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFanOutExit: a run whose on() had a failed host prints the recap and
// exits 1, the result printed all the same; --output json gives recap
// events; a bad --inventory is a usage error.
func TestFanOutExit(t *testing.T) {
	src := "def main():\n    return on([\"n1\", \"n2\"], lambda h: h.run(\"false\" if h.name == \"n2\" else \"true\").rc)\n"
	code, stdout, stderr := runIn(t, src, "--sim", "FILE")
	if code != 1 || !strings.Contains(stdout, `"n1": 0`) || !strings.Contains(stderr, "recap:\n  n1  ok       changed=1\n  n2  failed   changed=0  run: command false exited with rc 1") {
		t.Fatalf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, _, stderr = runIn(t, src, "--sim", "--output", "json", "FILE")
	if code != 1 || !strings.Contains(stderr, `{"event":"recap","host":"n2","status":"failed","changed":0,"error":"run: command false exited with rc 1"}`) {
		t.Fatalf("json: code %d\n%s", code, stderr)
	}
	code, _, _ = runIn(t, "def main():\n    return on([\"n1\"], lambda h: 1)\n", "--sim", "FILE")
	if code != 0 {
		t.Fatalf("all ok: code %d", code)
	}
	bad := filepath.Join(t.TempDir(), "inv.ini")
	os.WriteFile(bad, []byte("[a:children]\na\n"), 0o644)
	code, _, stderr = runIn(t, "pass\n", "--sim", "--inventory", bad, "FILE")
	if code != 2 || !strings.Contains(stderr, "--inventory: inventory "+bad+": group \"a\" is its own descendant") {
		t.Fatalf("bad inventory: code %d\n%s", code, stderr)
	}
}
