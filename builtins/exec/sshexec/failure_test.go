package sshexec_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec/sshtest"
)

func run(x *sshexec.Executor, argv ...string) (exec.Result, error) {
	return x.Run(context.Background(), exec.Cmd{Argv: argv})
}

// TestUnknownHostKey: refused with the fingerprint and the line to add;
// --accept-new-host-keys records it and later runs need no flag.
func TestUnknownHostKey(t *testing.T) {
	s := sshtest.Start(t, 1)
	os.WriteFile(s.KnownHosts, nil, 0o644)
	_, err := run(host(t, pool(t, s, false), "node1"), "true")
	var hke *sshexec.HostKeyError
	if !errors.As(err, &hke) || hke.Changed {
		t.Fatalf("got %v, want an unknown host key error", err)
	}
	for _, want := range []string{"unknown", s.HostKeyFingerprint(), fmt.Sprintf("[127.0.0.1]:%d ssh-ed25519 ", s.Ports[0]), "--accept-new-host-keys", s.KnownHosts} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := run(host(t, pool(t, s, true), "node1"), "true"); err != nil {
		t.Fatalf("with --accept-new-host-keys: %v", err)
	}
	if _, err := run(host(t, pool(t, s, false), "node1"), "true"); err != nil {
		t.Fatalf("after the key was recorded: %v", err)
	}
}

// TestChangedHostKey: refused even with --accept-new-host-keys.
func TestChangedHostKey(t *testing.T) {
	s := sshtest.Start(t, 1)
	s.ChangeHostKey(t)
	s.Restart(t)
	for _, accept := range []bool{false, true} {
		_, err := run(host(t, pool(t, s, accept), "node1"), "true")
		var hke *sshexec.HostKeyError
		if !errors.As(err, &hke) || !hke.Changed || !strings.Contains(err.Error(), "CHANGED") || !strings.Contains(err.Error(), s.HostKeyFingerprint()) {
			t.Fatalf("accept-new=%v: got %v, want a changed host key error", accept, err)
		}
	}
}

// TestRefusedKey: the server does not know the client key.
func TestRefusedKey(t *testing.T) {
	s := sshtest.Start(t, 1)
	os.WriteFile(filepath.Join(s.Dir, "authorized_keys"), nil, 0o644)
	_, err := run(host(t, pool(t, s, false), "node1"), "true")
	if err == nil || !strings.Contains(err.Error(), "refused every key for user \"vrunssh\"") || !strings.Contains(err.Error(), s.ClientKey) {
		t.Fatalf("got %v", err)
	}
}

// TestDownHosts: a closed port is refused at once; a port that accepts
// but never speaks times out within ConnectTimeout.
func TestDownHosts(t *testing.T) {
	s := sshtest.Start(t, 1)
	l, err := net.Listen("tcp", "127.0.0.1:0") // never accepts: a blackhole
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	cfg, _ := os.ReadFile(s.SSHConfig)
	extra := fmt.Sprintf("Host down\n  Port %d\nHost hole\n  Port %d\n  ConnectTimeout 1\nHost down hole\n  HostName 127.0.0.1\n  User vrunssh\n  IdentityFile %s\n",
		closedPort, l.Addr().(*net.TCPAddr).Port, s.ClientKey)
	os.WriteFile(s.SSHConfig, append([]byte(extra), cfg...), 0o644)
	cfg2, _ := sshexec.LoadConfig(s.Dir, s.SSHConfig)
	p, _ := sshexec.NewPool(sshexec.Options{Config: cfg2, AgentSock: "none"})
	defer p.Close()
	down, _ := p.Host("down", "", 0, false)
	if _, err := run(down, "true"); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("closed port: %v", err)
	}
	hole, _ := p.Host("hole", "", 0, false)
	if _, err := run(hole, "true"); err == nil || !strings.Contains(err.Error(), "within 1s (ConnectTimeout)") {
		t.Fatalf("blackhole: %v", err)
	}
}

// TestSSHDKilledMidCommand: the command fails with "connection lost", and
// the next command reconnects once sshd is back.
func TestSSHDKilledMidCommand(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := host(t, pool(t, s, false), "node1")
	work := s.WorkDir(t)
	done := make(chan error, 1)
	go func() {
		_, err := run(x, "sh", "-c", "echo $$ > "+work+"/p.tmp; mv "+work+"/p.tmp "+work+"/p; exec sleep 1002")
		done <- err
	}()
	pids := waitPids(t, work+"/p")
	s.Kill()
	// The command's pid (sleep, after exec) is killed with sshd's tree;
	// kill it by pid again should it have been reparented first.
	defer syscall.Kill(pids[0], syscall.SIGKILL)
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "connection lost while") || !strings.Contains(err.Error(), "outcome on the host is unknown") {
		t.Fatalf("got %v", err)
	}
	s.Restart(t)
	if r, err := run(x, "echo", "back"); err != nil || strings.TrimSpace(string(r.Stdout)) != "back" {
		t.Fatalf("after restart: %v", err)
	}
}

// TestProxyJump: node2 reached through node1 (a direct-tcpip channel).
func TestProxyJump(t *testing.T) {
	s := sshtest.Start(t, 2)
	cfg, _ := os.ReadFile(s.SSHConfig)
	os.WriteFile(s.SSHConfig, append([]byte("Host node2\n  ProxyJump node1\n"), cfg...), 0o644)
	p := pool(t, s, false)
	r, err := run(host(t, p, "node2"), "sh", "-c", "echo $SSH_CONNECTION")
	if err != nil {
		t.Fatal(err)
	}
	// Through the jump, the client side is node1's sshd, not this test.
	if f := strings.Fields(string(r.Stdout)); len(f) != 4 || f[3] != fmt.Sprint(s.Ports[1]) {
		t.Fatalf("SSH_CONNECTION %q", r.Stdout)
	}
	os.WriteFile(s.SSHConfig, append([]byte("Host loopa\n  ProxyJump loopb\nHost loopb\n  ProxyJump loopa\n"), cfg...), 0o644)
	if _, err := run(host(t, pool(t, s, false), "loopa"), "true"); err == nil || !strings.Contains(err.Error(), "ProxyJump chain longer") {
		t.Fatalf("jump loop: %v", err)
	}
}
