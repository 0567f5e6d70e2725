// Package virshtest runs a real libvirtd for tests: its built-in test
// driver only, in a temp dir with its own socket, stopped by pid at the
// end (notes/machine.md §2).
package virshtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// Libvirtd starts libvirtd with only its built-in test driver in a temp
// dir (notes/machine.md §2: an empty LIBVIRT_DRIVER_DIR, its own config
// and socket) and holds one connection open so test:///default keeps its
// state across virsh calls. It returns the URI; cleanup stops both by pid
// and removes the token libvirtd leaves in /run/libvirt.
func Libvirtd(t *testing.T) string {
	t.Helper()
	exectest.RequireTools(t, "virsh", "libvirtd")
	exectest.RequireRoot(t)
	dir := t.TempDir()
	for _, d := range []string{"drivers", "run"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	run := filepath.Join(dir, "run")
	conf := filepath.Join(dir, "libvirtd.conf")
	cfg := fmt.Sprintf("unix_sock_dir = %q\nunix_sock_group = \"root\"\nunix_sock_rw_perms = \"0770\"\nauth_unix_rw = \"none\"\nauth_unix_ro = \"none\"\nlog_outputs = \"3:file:%s/libvirtd.log\"\n", run, dir)
	if err := os.WriteFile(conf, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// What libvirtd makes in /run/libvirt goes again, unless it was there.
	const token = "/run/libvirt/common/system.token"
	_, runErr := os.Stat("/run/libvirt")
	_, tokenErr := os.Stat(token)
	hadRun, hadToken := runErr == nil, tokenErr == nil
	d := osexec.Command("libvirtd", "--timeout", "600", "--config", conf, "--pid-file", filepath.Join(run, "libvirtd.pid"))
	d.Env = append(os.Environ(), "LIBVIRT_DRIVER_DIR="+filepath.Join(dir, "drivers"))
	d.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = d.Process.Signal(syscall.SIGTERM)
		_ = d.Wait()
		switch {
		case !hadRun:
			_ = os.RemoveAll("/run/libvirt")
		case !hadToken:
			_ = os.Remove(token)
		}
	})
	sock := filepath.Join(run, "libvirt-sock")
	for i := 0; ; i++ { // the socket appears after about 0.2 s
		// The file exists from bind(), before listen(): ready is a
		// connection that goes through.
		if c, err := net.DialTimeout("unix", sock, time.Second); err == nil {
			c.Close()
			break
		}
		if i > 600 || d.ProcessState != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "libvirtd.log"))
			t.Fatalf("libvirtd did not open %s:\n%s", sock, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	uri := "test+unix:///default?socket=" + sock
	holder := osexec.Command("virsh", "-c", uri)
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = holder.Process.Kill()
		_ = holder.Wait()
	})
	// The test driver keeps its state only while a connection is open: the
	// holder answers a command once it is connected, and only then may the
	// test's own (short) connections come and go.
	if _, err := io.WriteString(stdin, "echo vrun-holder-ready\n"); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "vrun-holder-ready") {
				ready <- true
				io.Copy(io.Discard, stdout) // keep the pipe drained
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("the holding virsh connection ended before it was ready")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the holding virsh connection did not become ready in 30 s")
	}
	return uri
}
