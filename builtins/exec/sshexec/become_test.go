package sshexec_test

import (
	"context"
	"os"
	osexec "os/exec"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec/sshtest"
)

// TestBecome: without a sudoers rule the error says sudo wants a password;
// with NOPASSWD the command runs as root, with LC_ALL=C and its env.
func TestBecome(t *testing.T) {
	exectest.RequireTools(t, "sudo")
	if _, err := os.Stat("/etc/sudoers.d"); err != nil || os.Getuid() != 0 {
		t.Skip("needs root and /etc/sudoers.d")
	}
	s := sshtest.Start(t, 1)
	p := pool(t, s, false)
	x, err := p.Host("node1", "", 0, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = x.Run(context.Background(), exec.Cmd{Argv: []string{"id", "-u"}})
	if err == nil || !strings.Contains(err.Error(), "sudo needs a password for vrunssh") {
		t.Fatalf("no sudoers rule: %v", err)
	}
	rule := "/etc/sudoers.d/vrun-test-" + sshtest.User
	if err := os.WriteFile(rule, []byte(sshtest.User+" ALL=(ALL) NOPASSWD: ALL\n"), 0o440); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(rule)
	if out, err := osexec.Command("visudo", "-c", "-f", rule).CombinedOutput(); err != nil {
		t.Fatalf("visudo: %v %s", err, out)
	}
	r, err := x.Run(context.Background(), exec.Cmd{Argv: []string{"sh", "-c", `echo $(id -u) $LC_ALL "$K"`}, Env: []string{"K=a 'b'"}})
	if err != nil || strings.TrimSpace(string(r.Stdout)) != "0 C a 'b'" {
		t.Fatalf("become: %q %v", r.Stdout, err)
	}
	// The same host without become shares the connection and stays the user.
	y, _ := p.Host("node1", "", 0, false)
	r, err = y.Run(context.Background(), exec.Cmd{Argv: []string{"id", "-un"}})
	if err != nil || strings.TrimSpace(string(r.Stdout)) != sshtest.User || y.Dials() != 1 {
		t.Fatalf("without become: %q %v, %d connections", r.Stdout, err, y.Dials())
	}
}
