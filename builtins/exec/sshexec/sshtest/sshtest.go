// Package sshtest starts real OpenSSH daemons on 127.0.0.1 for tests: a
// temporary host key, a client key in authorized_keys, a login user of its
// own (not root, whose ~/.bashrc costs a second per command here), and an
// ssh_config naming the hosts node1..nodeN. Daemons are stopped by pid.
package sshtest

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// User is the login user the daemons accept.
const User = "vrunssh"

// Server is one sshd listening on Ports.
type Server struct {
	Dir        string // 0755 temp dir: keys, config, logs
	Ports      []int
	HostKey    ssh.Signer
	ClientKey  string // private key file
	KnownHosts string // known_hosts listing HostKey for every port
	SSHConfig  string // Host nodeI -> 127.0.0.1:Ports[I-1]
	Pid        int
	sshd       string
	exited     chan struct{}
}

// Start starts one sshd with n ports (at most 16, sshd's limit).
func Start(t testing.TB, n int) *Server {
	t.Helper()
	sshd := findSSHD(t)
	ensureUser(t)
	dir, err := os.MkdirTemp("", "vrun-sshd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "sshd.log"))
			t.Logf("sshd.log:\n%s", log)
		}
		os.RemoveAll(dir)
	})
	// The login user reads authorized_keys and runs commands in here.
	must(t, os.Chmod(dir, 0o755))
	s := &Server{Dir: dir, sshd: sshd}
	hostPriv := writeKey(t, filepath.Join(dir, "host_ed25519"))
	s.HostKey = hostPriv
	client := writeKey(t, filepath.Join(dir, "id_ed25519"))
	s.ClientKey = filepath.Join(dir, "id_ed25519")
	must(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), ssh.MarshalAuthorizedKey(client.PublicKey()), 0o644))
	s.Ports = freePorts(t, n)
	var cfg strings.Builder
	for _, p := range s.Ports {
		fmt.Fprintf(&cfg, "Port %d\n", p)
	}
	fmt.Fprintf(&cfg, "ListenAddress 127.0.0.1\nHostKey %s/host_ed25519\nAuthorizedKeysFile %s/authorized_keys\n"+
		"PidFile %s/sshd.pid\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"+
		"UsePAM no\nAllowUsers %s\nMaxStartups 200:30:400\nMaxSessions 100\nAllowTcpForwarding yes\nSubsystem sftp internal-sftp\n", dir, dir, dir, User)
	must(t, os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg.String()), 0o644))
	s.writeClientFiles(t)
	must(t, os.MkdirAll("/run/sshd", 0o755))
	s.start(t)
	return s
}

// start runs the daemon in the foreground (-D) so its pid is known at
// once, and waits until every port accepts connections.
func (s *Server) start(t testing.TB) {
	t.Helper()
	cmd := osexec.Command(s.sshd, "-D", "-f", filepath.Join(s.Dir, "sshd_config"), "-E", filepath.Join(s.Dir, "sshd.log"))
	if err := cmd.Start(); err != nil {
		t.Fatalf("sshd: %v", err)
	}
	s.Pid = cmd.Process.Pid
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.exited = exited
	t.Cleanup(func() { cmd.Process.Kill(); <-exited })
	for _, p := range s.Ports {
		for {
			if banner(p) {
				break
			}
			select {
			case <-exited:
				log, _ := os.ReadFile(filepath.Join(s.Dir, "sshd.log"))
				t.Fatalf("sshd exited at start:\n%s", log)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}
}

// banner reports whether sshd answers on port p with its SSH banner: a
// listening socket alone is not a daemon ready to serve (a dial to a free
// local port can even connect to itself, TCP simultaneous open).
func banner(p int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	if c.LocalAddr().String() == c.RemoteAddr().String() {
		return false
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "SSH-2.0-")
}

// Stop stops the daemon (its running sessions go on, as with a real sshd
// restart; Kill ends them too).
func (s *Server) Stop() { syscall.Kill(s.Pid, syscall.SIGTERM) }

// Kill stops the daemon and every process it started (the per-connection
// sshd processes and the commands under them), found by parent pid.
func (s *Server) Kill() {
	pids := append(Descendants(s.Pid), s.Pid)
	for _, p := range pids {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// Descendants lists the processes below pid, read from /proc.
func Descendants(pid int) []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	var out []int
	frontier := []int{pid}
	for len(frontier) > 0 {
		next := []int{}
		for p, pp := range parent {
			for _, f := range frontier {
				if pp == f {
					out = append(out, p)
					next = append(next, p)
				}
			}
		}
		frontier = next
	}
	return out
}

// Alive reports whether pid runs (a zombie does not: it only waits to be
// reaped).
func Alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	return len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// WorkDir returns a directory inside Dir that the login user may write.
func (s *Server) WorkDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(s.Dir, "work")
	must(t, os.MkdirAll(d, 0o755))
	out, err := osexec.Command("chown", User, d).CombinedOutput()
	if err != nil {
		t.Fatalf("chown: %v %s", err, out)
	}
	return d
}

// Restart starts the daemon again on the same ports, with the host key
// in the files now (ChangeHostKey writes a new one).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	syscall.Kill(s.Pid, syscall.SIGTERM)
	s.waitGone(t)
	s.start(t)
}

// ChangeHostKey gives the daemon a new host key (not in KnownHosts); call
// Restart after it.
func (s *Server) ChangeHostKey(t testing.TB) {
	t.Helper()
	s.HostKey = writeKey(t, filepath.Join(s.Dir, "host_ed25519"))
}

func (s *Server) waitGone(t testing.TB) {
	<-s.exited
}

// Alias is the ssh_config name of port i (1-based): node1, node2...
func Alias(i int) string { return "node" + strconv.Itoa(i) }

// writeClientFiles writes known_hosts and an ssh_config for the ports.
func (s *Server) writeClientFiles(t testing.TB) {
	var kh, cfg strings.Builder
	s.KnownHosts = filepath.Join(s.Dir, "known_hosts")
	s.SSHConfig = filepath.Join(s.Dir, "ssh_config")
	for i, p := range s.Ports {
		kh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))}, s.HostKey.PublicKey()) + "\n")
		fmt.Fprintf(&cfg, "Host %s\n  Port %d\n", Alias(i+1), p)
	}
	fmt.Fprintf(&cfg, "Host node*\n  HostName 127.0.0.1\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n", User, s.ClientKey, s.KnownHosts)
	must(t, os.WriteFile(s.KnownHosts, []byte(kh.String()), 0o644))
	must(t, os.WriteFile(s.SSHConfig, []byte(cfg.String()), 0o644))
}

func findSSHD(t testing.TB) string {
	if p, err := osexec.LookPath("sshd"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/sshd"); err == nil {
		return "/usr/sbin/sshd"
	}
	exectest.RequireTools(t, "sshd") // skips, or fails under VRUN_REQUIRE_REAL_TOOLS=1
	t.FailNow()
	return ""
}

// ensureUser creates the login user once per machine: /bin/sh, a '*'
// password (a '!' one makes sshd refuse keys as a locked account).
func ensureUser(t testing.TB) {
	if osexec.Command("id", User).Run() == nil {
		return
	}
	if os.Getuid() != 0 {
		t.Skipf("creating the login user %s needs root", User)
	}
	for _, argv := range [][]string{{"useradd", "-m", "-s", "/bin/sh", User}, {"usermod", "-p", "*", User}} {
		if out, err := osexec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
		}
	}
}

func writeKey(t testing.TB, path string) ssh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "")
	must(t, err)
	must(t, os.WriteFile(path, pem.EncodeToMemory(block), 0o600))
	sg, err := ssh.NewSignerFromKey(priv)
	must(t, err)
	return sg
}

func freePorts(t testing.TB, n int) []int {
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// HostKeyFingerprint is the daemon's key as ssh-keygen -l prints it.
func (s *Server) HostKeyFingerprint() string { return ssh.FingerprintSHA256(s.HostKey.PublicKey()) }
