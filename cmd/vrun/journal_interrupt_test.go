package main

import (
	"encoding/json"
	"errors"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/journal"
)

// issue 11: SIGINT while the attach job runs names the step and the ids
// created so far, in operators' words; vrun resume re-attaches to the same
// job instead of submitting attachVolume again.
func TestInterruptDuringAttachThenResume(t *testing.T) {
	bin := buildVrun(t)
	dir := t.TempDir()
	world, jpath := filepath.Join(dir, "w.json"), filepath.Join(dir, "j.json")
	recipe, _ := filepath.Abs("../../recipes/coreos-template.star")
	// The attach job never finishes (and stays so in the kept world).
	cmd := osexec.Command(bin, "--sim-state", world, "--journal", jpath, recipe)
	cmd.Env = append(os.Environ(), "VRUN_SIM_CLOUDSTACK_FAULTS=attachVolume=stuck")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var jobID string
	for i := 0; i < 3000 && jobID == ""; i++ {
		if j, err := journal.Load(jpath); err == nil && len(j.Steps) == 2 && len(j.Steps[1].Jobs) == 1 {
			jobID = j.Steps[1].Jobs[0].ID
		}
		time.Sleep(10 * time.Millisecond)
	}
	if jobID == "" {
		_ = cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the attach job never appeared in the journal; stderr:\n%s", stderr.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *osexec.ExitError
	msg := stderr.String()
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit = %v, want 130; stderr:\n%s", err, msg)
	}
	for _, want := range []string{"interrupted (Ctrl-C) during step 'attach volume'", "\n  volume ", "job " + jobID + " (attachVolume) was still running"} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "context canceled") || strings.Contains(msg, "deadline exceeded") {
		t.Errorf("Go's context wording reached the operator:\n%s", msg)
	}

	// The stuck job is still stuck: the resumed wait on it times out, and
	// what matters is that it waited on the same job.
	out, _ := osexec.Command(bin, "resume", "-v", "--sim-state", world, "--sim-speed", "100000", "--journal", jpath, recipe).CombinedOutput()
	if !strings.Contains(string(out), "re-attaching to job "+jobID+" (attachVolume)") || !strings.Contains(string(out), "job "+jobID+" (attachVolume) still running") {
		t.Errorf("resume did not re-attach to %s:\n%s", jobID, out)
	}
	if strings.Contains(string(out), "POST attachVolume ") {
		t.Errorf("resume submitted attachVolume again:\n%s", out)
	}
	j, err := journal.Load(jpath)
	if err != nil || len(j.Steps) != 2 || len(j.Steps[1].Jobs) != 1 || j.Steps[1].Jobs[0].ID != jobID {
		b, _ := json.Marshal(j)
		t.Errorf("journal after resume: %v %s", err, b)
	}
}
