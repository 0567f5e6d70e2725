package ifcfg

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// TestSeedFiles: the seeds' files parse, and render back byte for byte.
func TestSeedFiles(t *testing.T) {
	for _, f := range []string{"ifcfg-ovsbr0", "ifcfg-eth0.0900"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		keys, err := Parse(string(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		text, err := Render(strings.TrimPrefix(f, "ifcfg-"), keys)
		if err != nil || text != string(data) {
			t.Errorf("%s: render gave %q, %v", f, text, err)
		}
	}
}

func TestParse(t *testing.T) {
	keys, err := Parse("# comment\n\nA=1\nB=\"x y\" # note\nC='a \"b\"'\nexport D=e\\ f\nE=\"\\$x\\\\\"\nF=\n")
	want := []Key{{"A", "1"}, {"B", "x y"}, {"C", `a "b"`}, {"D", "e f"}, {"E", `$x\`}, {"F", ""}}
	if err != nil || !reflect.DeepEqual(keys, want) {
		t.Errorf("got %v %v", keys, err)
	}
	for in, msg := range map[string]string{
		"A=\"x":           "unterminated \"",
		"A='x":            "unterminated '",
		"A=$(id)":         "shell syntax",
		"A=\"$HOME\"":     "expansion",
		"A=x y":           "more than one word",
		"echo hi":         "is not KEY=value",
		"1A=x":            "is not KEY=value",
		"A=x;reboot":      "shell syntax",
		"A-B=x":           "is not KEY=value",
		"A=`id`":          "shell syntax",
		"A=\"`id`\"":      "expansion",
		"source /etc/foo": "is not KEY=value",
	} {
		if _, err := Parse(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: got %v, want %q", in, err, msg)
		}
	}
}

// TestQuotingWithBash: rendered values read back exactly when the real
// bash sources the file, as initscripts do.
func TestQuotingWithBash(t *testing.T) {
	exectest.RequireTools(t, "bash")
	values := []string{"plain", "", "a b", `"q"`, "it's", "$HOME", "`id`", `back\slash`, "tab\there", "ünï", "a=b", "#x", "~root", "*", "x;y"}
	f := filepath.Join(t.TempDir(), "ifcfg-eth0")
	for _, v := range values {
		text, err := Render("eth0", []Key{{"ETHTOOL_OPTS", v}})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{Argv: []string{"bash", "-c", `. "$1"; printf %s "$ETHTOOL_OPTS"`, "bash", f}})
		if err != nil || r.Code != 0 || string(r.Stdout) != v {
			t.Errorf("%q: bash read %q (rc %d %s %v) from %q", v, r.Stdout, r.Code, r.Stderr, err, text)
		}
		keys, err := Parse(text)
		if err != nil || keys[1].Value != v {
			t.Errorf("%q: Parse read %v %v", v, keys, err)
		}
	}
}

// TestWriteRealAndSim: the same writes on this machine (in a temp dir)
// and on the simulated host leave the same files and report the same
// changes.
func TestWriteRealAndSim(t *testing.T) {
	dir := t.TempDir()
	src := `
seed = {"DEVICETYPE": "ovs", "HOTPLUG": False, "NM_CONTROLLED": False, "ONBOOT": True,
        "OVSBOOTPROTO": "dhcp", "OVSDHCPINTERFACES": "eth0", "TYPE": "OVSBridge"}
c = [ifcfg.write("ovsbr0", seed, dir = DIR), ifcfg.write("ovsbr0", seed, dir = DIR), ifcfg.write("ovsbr0", seed, ONBOOT = False, dir = DIR)]
back = ifcfg.read("ovsbr0", dir = DIR)
none = ifcfg.read("nope", dir = DIR)
`
	names := []string{"c", "back", "none"}
	real := modtest.MustExec(t, &exec.Local{}, `DIR = "`+dir+`/ns"`+src, Module())
	h := sim.New()
	fake := modtest.MustExec(t, h, `DIR = "/etc/sysconfig/network-scripts"`+src, Module())
	if r, f := exectest.Normalized(t, real, nil, names...), exectest.Normalized(t, fake, nil, names...); r != f {
		t.Errorf("real %s\nfake %s", r, f)
	}
	data, err := os.ReadFile(filepath.Join(dir, "ns", "ifcfg-ovsbr0"))
	var simData []byte
	h.WithLock(func(h *sim.Host) { simData, _ = h.ReadFile("/etc/sysconfig/network-scripts/ifcfg-ovsbr0") })
	if err != nil || string(data) != string(simData) || !strings.Contains(string(data), "ONBOOT=no\n") {
		t.Errorf("files differ: real %q %v, sim %q", data, err, simData)
	}
	if st, _ := os.Stat(filepath.Join(dir, "ns", "ifcfg-ovsbr0")); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"A=1\nB=\"x y\"\n", "C='a'\n# c\n", "A=\"\\$\"", "A=x\\ y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		keys, err := Parse(text)
		if err != nil {
			return
		}
		for _, k := range keys {
			if !shellName(k.Name) {
				t.Fatalf("bad key %q from %q", k.Name, text)
			}
		}
	})
}

// FuzzRoundTrip: any value Render accepts, Parse reads back unchanged.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"plain", "a b", `"$x"`, "it's", `\`, "`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		text, err := Render("eth0", []Key{{"ETHTOOL_OPTS", v}})
		if err != nil {
			return
		}
		keys, err := Parse(text)
		if err != nil || len(keys) != 2 || keys[1].Value != v {
			t.Fatalf("%q rendered as %q read back as %v %v", v, text, keys, err)
		}
	})
}
