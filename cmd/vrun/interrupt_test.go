package main

import (
	"errors"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildVrun builds the binary once per test that needs a real process
// (signals cannot be tested in-process).
func buildVrun(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vrun")
	out, err := osexec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestInterruptEndsChild: Ctrl-C during run("sleep", ...) ends the child
// and exits 130, leaving no process behind.
func TestInterruptEndsChild(t *testing.T) {
	bin := buildVrun(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	recipe := filepath.Join(dir, "sleep.star")
	src := `run("sh", "-c", "echo $$ > ` + pidFile + `.tmp; mv ` + pidFile + `.tmp ` + pidFile + `; exec sleep 60")` + "\n"
	if err := os.WriteFile(recipe, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := osexec.Command(bin, recipe)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var child int
	for i := 0; i < 1000 && child == 0; i++ {
		if b, err := os.ReadFile(pidFile); err == nil {
			child, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if child == 0 {
		_ = cmd.Process.Kill()
		t.Fatalf("the recipe never started its child; stderr:\n%s", stderr.String())
	}
	start := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	t.Logf("vrun exited %v after SIGINT in %s", err, time.Since(start))
	var ee *osexec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit = %v, want 130; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "vrun: interrupted") {
		t.Errorf("stderr %q lacks 'vrun: interrupted'", stderr.String())
	}
	if err := syscall.Kill(child, 0); err == nil && !zombie(child) {
		t.Fatalf("child %d still running after vrun exited", child)
	}
}

func zombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] == "Z"
}
