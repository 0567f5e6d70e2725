package repl_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// runRecipe runs a saved file as `vrun --sim FILE` would, on a fresh
// simulated host, and returns what it printed.
func runRecipe(t *testing.T, path string) string {
	t.Helper()
	var out bytes.Buffer
	host := startest.SimHost(t)
	in := interp.MustNew(interp.Options{
		Ctx: context.Background(), Stdout: &out, Stderr: &out, SimHost: host,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	})
	if _, err := in.RunRecipe(path, nil); err != nil {
		t.Fatalf("saved recipe failed: %s\n--- %s:\n%s", interp.Render(err), path, readFile(t, path))
	}
	return out.String()
}

func readFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSaveRunsWithTheSameResult(t *testing.T) {
	dir := t.TempDir()
	saved := filepath.Join(dir, "session.star")
	in := strings.Join([]string{
		"def label(n):",
		"    return 'vol-%d' % n",
		"",
		"names = [label(i) for i in range(3)]",
		"undefined_thing()", // fails: not saved
		"help(size)",        // REPL only: not saved
		"names",
		"len(_)",
		`file.write("/tmp/vrun-repl-save.txt", json.encode({"n": _}))`,
		`json.decode(file.read("/tmp/vrun-repl-save.txt"))`,
		":save " + saved,
	}, "\n")
	h := newSession(t, in, nil)
	h.run()
	if !strings.Contains(h.stderr.String(), "saved 6 statements to "+saved) {
		t.Fatalf("stderr: %s", h.stderr)
	}
	src := readFile(t, saved)
	if strings.Contains(src, "undefined_thing") || strings.Contains(src, "help(") {
		t.Errorf("saved a failed or REPL-only statement:\n%s", src)
	}
	// The session printed help's text first; then the same values.
	recipe := runRecipe(t, saved)
	want := `["vol-0", "vol-1", "vol-2"]` + "\n3\n{\"n\": 3}\n"
	if recipe != want {
		t.Errorf("recipe printed %q, want %q", recipe, want)
	}
	if !strings.HasSuffix(h.stdout.String(), want) {
		t.Errorf("session printed %q, recipe %q", h.stdout, recipe)
	}
}

func TestLoadFileThenSave(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.star")
	if err := os.WriteFile(lib, []byte("ZONE = 2\ndef disk(name):\n    return name + '_disk'\ndef main():\n    fail('main must not run in the REPL')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, "out", "s.star")
	if err := os.Mkdir(filepath.Dir(saved), 0o755); err != nil {
		t.Fatal(err)
	}
	h := newSession(t, "disk('coreos') + str(ZONE)\n:save "+saved+"\n", nil)
	if err := h.s.LoadFile(lib); err != nil {
		t.Fatal(err)
	}
	if code := h.run(); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr)
	}
	if h.stdout.String() != "\"coreos_disk2\"\n" {
		t.Errorf("stdout %q", h.stdout)
	}
	src := readFile(t, saved)
	if !strings.Contains(src, `load("../lib.star", "ZONE", "disk")`) {
		t.Errorf("saved recipe does not load the starting file:\n%s", src)
	}
	if got := runRecipe(t, saved); got != "coreos_disk2\n" {
		t.Errorf("recipe printed %q", got)
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.star")
	write(t, bad, "x = 1\nundefined_call()\n")
	h := newSession(t, "", nil)
	if err := h.s.LoadFile(filepath.Join(dir, "missing.star")); err == nil {
		t.Error("a missing file loaded")
	}
	if err := h.s.LoadFile(bad); err == nil || !strings.Contains(interp.Render(err), "undefined: undefined_call") {
		t.Errorf("a file with a static error: %v", err)
	}
	runtime := filepath.Join(dir, "runtime.star")
	write(t, runtime, "x = 1\ny = [][1]\n")
	if err := h.s.LoadFile(runtime); err != nil {
		t.Fatalf("a run-time error must be printed, not returned: %v", err)
	}
	if h.s.Globals()["x"] == nil || !strings.Contains(h.stderr.String(), "index 1 out of range") {
		t.Errorf("globals before the error: %v; stderr %q", h.s.Globals()["x"], h.stderr)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSaveToADevice: :save makes files 0600 but leaves a device's mode
// alone (:save /dev/stdout must not chmod the terminal or /dev/null).
func TestSaveToADevice(t *testing.T) {
	null := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("mknod (needs root): %v", err)
	}
	if err := os.Chmod(null, 0o666); err != nil { // past the umask
		t.Fatal(err)
	}
	h := newSession(t, "x = 1\n:save "+null+"\n", nil)
	h.run()
	if st, err := os.Stat(null); err != nil || st.Mode().Perm() != 0o666 {
		t.Errorf("the device's mode became %v (%v)", st.Mode().Perm(), err)
	}
	if !strings.Contains(h.stderr.String(), "saved 1 statements to "+null) {
		t.Errorf("stderr %q", h.stderr)
	}
}
