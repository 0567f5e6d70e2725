package main

import (
	"errors"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// jq(None, "def f: 1+f; f") grew until the kernel killed vrun at 24 GB.
// Under VRUN_MAX_MEMORY the run stops with one error line, exit 1. The
// child also runs under `ulimit -v` (4 GiB), so even a vrun without the
// watchdog cannot eat the machine's memory.
func TestMemoryCap(t *testing.T) {
	if _, err := osexec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	bin := buildVrun(t)
	dir := t.TempDir()
	for name, src := range map[string]string{
		"jq":       "jq(None, \"def f: 1+f; f\")\n",
		"jsonnet":  "jsonnet(source = \"std.length(std.makeArray(1000000000, function(i) [i]))\")\n",
		"starlark": "x = []\nfor i in range(1000000000):\n    x.append([i])\n",
	} {
		t.Run(name, func(t *testing.T) {
			recipe := filepath.Join(dir, name+".star")
			if err := os.WriteFile(recipe, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := osexec.Command("sh", "-c", `ulimit -v 4194304; exec "$0" "$1"`, bin, recipe)
			cmd.Env = append(os.Environ(), "VRUN_MAX_MEMORY=256M")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *osexec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Fatalf("exit %v, want 1; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "out of memory: vrun's heap reached") ||
				!strings.Contains(stderr.String(), "over its cap of 256 MiB (raise the cap with VRUN_MAX_MEMORY") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			noDump(t, stderr.String())
		})
	}
}
