package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// runCLI runs the CLI in-process from the repository root, so recipe paths
// read as in the README.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir("../..")
	var out, errb strings.Builder
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// `vrun --sim` never reaches the endpoint CLOUDSTACK_* or ~/.cmk/config
// name (issue 9: a rehearsal created a volume on a running server), and -v
// says which endpoint the client uses.
func TestSimIgnoresConfiguredCloud(t *testing.T) {
	var hits atomic.Int32
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "not for rehearsals", http.StatusTeapot)
	}))
	defer hs.Close()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLOUDSTACK_API_URL", hs.URL+"/client/api")
	t.Setenv("CLOUDSTACK_API_KEY", "REALKEY-0123456789")
	t.Setenv("CLOUDSTACK_SECRET_KEY", "REALSECRET-xyz")
	os.MkdirAll(filepath.Join(home, ".cmk"), 0o700)
	os.WriteFile(filepath.Join(home, ".cmk", "config"), []byte(fmt.Sprintf(
		"profile = prod\n[prod]\nurl = %s/client/api\napikey = K\nsecretkey = S\n", hs.URL)), 0o600)
	code, out, stderr := runCLI(t, "--sim", "-v", "recipes/scratch-volume.star", "--gb", "20")
	if code != 0 || hits.Load() != 0 {
		t.Fatalf("exit %d, %d requests to the configured server\nstdout:\n%s\nstderr:\n%s", code, hits.Load(), out, stderr)
	}
	want := "+ cloudstack: client uses the simulator http://cloudstack.sim/client/api (--sim), not " + hs.URL + "/client/api from arguments and CLOUDSTACK_* environment variables"
	if !strings.Contains(stderr, want) || strings.Contains(stderr, "REALSECRET") {
		t.Errorf("stderr:\n%s\nwant %q and no secret", stderr, want)
	}
}

// The README's fault example runs as written and rehearses the failure it
// names: the deploy fails with error code 533.
func TestReadmeFaultExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`(VRUN_SIM_CLOUDSTACK_FAULTS=[^`]*)`").FindSubmatch(readme)
	if m == nil {
		t.Fatal("no VRUN_SIM_CLOUDSTACK_FAULTS example in README.md")
	}
	words := strings.Fields(string(m[1]))
	name, value, _ := strings.Cut(words[0], "=")
	if words[1] != "vrun" {
		t.Fatalf("README example %q: want VAR=VALUE vrun ...", m[1])
	}
	t.Setenv(name, value)
	code, out, stderr := runCLI(t, words[2:]...)
	for _, want := range []string{
		`step 'deploy' failed: cloudstack.deployVirtualMachine: job `,
		"(deployVirtualMachine) failed: jobresultcode 533, errorcode 533: Unable to create a deployment for VM[User|",
		"created:\n", "  template ",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != 1 || t.Failed() {
		t.Fatalf("README example %q: exit %d (want 1)\nstdout:\n%s\nstderr:\n%s", m[1], code, out, stderr)
	}
}

// An unknown API name in the fault variable stops a --sim run before any
// call, instead of a rehearsal that "passes" with no fault injected.
func TestUnknownFaultAPIStopsRun(t *testing.T) {
	t.Setenv("VRUN_SIM_CLOUDSTACK_FAULTS", "nosuchapi=fail:533")
	code, _, stderr := runCLI(t, "--sim", "recipes/scratch-volume.star")
	if code != 1 || !strings.Contains(stderr, `$VRUN_SIM_CLOUDSTACK_FAULTS: invalid fault "nosuchapi=fail:533": the simulator has no API "nosuchapi"`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// --sim-speed and `sim cloudstack --speed` accept finite numbers in range
// only: NaN, Inf and 1e300 were accepted and the run hung.
func TestSimSpeedValidated(t *testing.T) {
	for _, v := range []string{"NaN", "nan", "Inf", "+Inf", "-Inf", "1e300", "1e7", "0", "-1", "0.0001"} {
		for _, args := range [][]string{
			{"--sim", "--sim-speed", v, "FILE"},
			{"run", "--sim", "--sim-speed=" + v, "FILE"},
			{"repl", "--sim", "--sim-speed", v},
		} {
			code, _, stderr := runIn(t, "def main():\n    return 1\n", args...)
			want := "--sim-speed: got "
			if code != 2 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "want a number from 0.001 to 1e+06") {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
		}
		var stderr strings.Builder
		if _, ok := parseSimArgs([]string{"--listen", "127.0.0.1:0", "--speed", v}, func(string) string { return "" }, &stderr); ok ||
			!strings.Contains(stderr.String(), "vrun sim cloudstack: --speed: got ") || !strings.Contains(stderr.String(), "want a number from 0.001 to 1e+06") {
			t.Errorf("sim cloudstack --speed %s: ok %v, stderr %q", v, ok, stderr.String())
		}
	}
	for _, v := range []string{"0.001", "1", "300", "1e6"} {
		if code, _, stderr := runIn(t, "def main():\n    return 1\n", "--sim", "--sim-speed", v, "FILE"); code != 0 {
			t.Errorf("--sim-speed %s: exit %d, %s", v, code, stderr)
		}
	}
}
