package hosts_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec/sshtest"
	"github.com/vrun-dev/vrun/interp"
)

// sshRun runs src against the test daemons (their ssh_config, no agent).
func sshRun(t *testing.T, s *sshtest.Server, src string) (string, error, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "r.star")
	os.WriteFile(file, []byte(src), 0o644)
	var out bytes.Buffer
	in, err := interp.New(interp.Options{Ctx: context.Background(), Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cfg, err := sshexec.LoadConfig(s.Dir, s.SSHConfig)
	if err != nil {
		t.Fatal(err)
	}
	in.Hosts.SSH = sshexec.Options{Config: cfg, AgentSock: "none"}
	v, err := in.RunRecipe(file, nil)
	var recap bytes.Buffer
	in.Recap(&recap)
	if v == nil {
		return "", err, recap.String()
	}
	return v.String(), err, recap.String()
}

// scenario runs qemu-img, file.* and run() through a host value.
const scenario = `
def scenario(h, d):
    img = d + "/disk.qcow2"
    h.qemu.img.create(img, "64M", format = "qcow2")
    info = h.qemu.img.resize(img, "128M")
    h.file.write(d + "/fstab", "/dev/sda1 / ext4 defaults 0 1\n")
    changed = h.file.ensure_line(d + "/fstab", "/dev/vg/data /data ext4 user_xattr 0 2", match = "^/dev/vg/data ")
    again = h.file.ensure_line(d + "/fstab", "/dev/vg/data /data ext4 user_xattr 0 2", match = "^/dev/vg/data ")
    return {
        "format": info.format, "virtual_size": info.virtual_size,
        "fstab": h.file.read(d + "/fstab"), "changed": [changed, again],
        "exists": [h.file.exists(img), h.file.exists(d + "/nope")],
        "kernel": h.run("uname", "-r").stdout, "rc": h.run("sh", "-c", "exit 7", check = False).rc,
    }
`

// TestModulesOverSSH: the same scenario on host("node1") over a real sshd
// and on host("local") gives the same values.
func TestModulesOverSSH(t *testing.T) {
	exectest.RequireTools(t, "qemu-img")
	s := sshtest.Start(t, 1)
	remote, local := s.WorkDir(t), t.TempDir()
	got, err, recap := sshRun(t, s, scenario+`
def main():
    return [scenario(host("node1"), "`+remote+`"), scenario(host("local"), "`+local+`")]
`)
	if err != nil {
		t.Fatalf("%v\n%s", err, recap)
	}
	parts := strings.SplitN(strings.Trim(got, "[]"), "}, {", 2)
	if len(parts) != 2 || parts[0]+"}" != "{"+parts[1] {
		t.Fatalf("over ssh and locally differ:\n%s", got)
	}
	if !strings.Contains(got, `"virtual_size": 134217728`) || !strings.Contains(got, `"changed": [True, False]`) {
		t.Fatalf("unexpected values: %s", got)
	}
}

// TestFanOutOverSSH: on() over four sshd ports; one host refuses the key,
// one is down: both fail with their own error and the others finish.
func TestFanOutOverSSH(t *testing.T) {
	s := sshtest.Start(t, 2)
	cfg, _ := os.ReadFile(s.SSHConfig)
	extra := fmt.Sprintf("Host node3\n  Port 1\nHost node4\n  Port %d\n  User nobody\n", s.Ports[0])
	os.WriteFile(s.SSHConfig, append([]byte(extra), cfg...), 0o644)
	got, err, recap := sshRun(t, s, `
def main():
    return on(["node1", "node2", "node3", "node4"], lambda h: h.run("id", "-un").stdout.strip())
`)
	if err != nil {
		t.Fatal(err)
	}
	if got != `{"node1": "vrunssh", "node2": "vrunssh", "node3": None, "node4": None}` {
		t.Fatalf("got %s", got)
	}
	for _, want := range []string{"node1  ok", "node2  ok", "node3  failed   changed=0  run: ssh node3 (127.0.0.1:1): connection refused", `node4  failed   changed=0  run: ssh node4 (127.0.0.1:`} {
		if !strings.Contains(recap, want) {
			t.Errorf("recap lacks %q:\n%s", want, recap)
		}
	}
	if !strings.Contains(recap, `refused every key for user "nobody"`) {
		t.Errorf("recap:\n%s", recap)
	}
}
