// Package ovstest runs Open vSwitch in userspace for one test
// (notes/machine.md §10): ovsdb-server and ovs-vswitchd in a temp dir,
// the switch in a network namespace of its own, both stopped by pid and
// the namespace deleted when the test ends. Bridges need
// datapath_type=netdev: this kernel has no OVS module.
package ovstest

import (
	"context"
	"fmt"
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// OVS is one running switch.
type OVS struct {
	Dir string // OVS_RUNDIR: ovs-vsctl's default db is unix:Dir/db.sock
	NS  string // the network namespace ovs-vswitchd makes its links in
	DB  string // the ovsdb remote, "unix:Dir/db.sock"
}

// Start starts both daemons; the test is skipped (or failed under
// VRUN_REQUIRE_REAL_TOOLS=1) without root or Open vSwitch.
func Start(t *testing.T) *OVS {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ip")
	schema := "/usr/share/openvswitch/vswitch.ovsschema"
	if _, err := os.Stat(schema); err != nil {
		exectest.Unavailable(t, "no "+schema)
	}
	dir := t.TempDir()
	o := &OVS{Dir: dir, NS: fmt.Sprintf("vrunovs%d", os.Getpid()), DB: "unix:" + filepath.Join(dir, "db.sock")}
	o.Must(t, "ip", "netns", "add", o.NS)
	t.Cleanup(func() { o.Run("ip", "netns", "del", o.NS) })
	o.Must(t, "ovsdb-tool", "create", filepath.Join(dir, "conf.db"), schema)
	o.daemon(t, "db.sock", "ovsdb-server", filepath.Join(dir, "conf.db"), "--remote=p"+o.DB,
		"--log-file="+filepath.Join(dir, "ovsdb.log"), "--unixctl="+filepath.Join(dir, "ovsdb.ctl"))
	o.Must(t, "ovs-vsctl", "--db="+o.DB, "--no-wait", "init")
	o.daemon(t, "vswitchd.ctl", "ip", "netns", "exec", o.NS, "ovs-vswitchd", o.DB,
		"--log-file="+filepath.Join(dir, "vswitchd.log"), "--unixctl="+filepath.Join(dir, "vswitchd.ctl"))
	return o
}

// Run runs argv on this machine with OVS_RUNDIR set to the switch's dir;
// a command that cannot start is exit -1 with the reason on stderr.
func (o *OVS) Run(argv ...string) exec.Result {
	r, err := (&exec.Local{}).Run(context.Background(), exec.Cmd{Argv: argv, Env: []string{"OVS_RUNDIR=" + o.Dir}})
	if err != nil {
		r.Code, r.Stderr = -1, []byte(err.Error())
	}
	return r
}

// Must is Run, failing the test on a non-zero exit.
func (o *OVS) Must(t *testing.T, argv ...string) {
	t.Helper()
	if r := o.Run(argv...); r.Code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(argv, " "), r.Code, r.Stderr)
	}
}

// daemon starts argv as a child of the test (not --detach: this
// machine's PID 1 reaps no orphans, so a detached daemon stays a zombie)
// and waits until it has made sock in the switch's dir; cleanup stops it
// by its pid and reaps it.
func (o *OVS) daemon(t *testing.T, sock string, argv ...string) {
	t.Helper()
	cmd := osexec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "OVS_RUNDIR="+o.Dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", argv[0], err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second): // they exit at once on SIGTERM
			_ = cmd.Process.Kill()
			<-done
		}
	})
	path := filepath.Join(o.Dir, sock)
	for tick := time.NewTicker(10 * time.Millisecond); ; {
		// The socket file exists from bind(), before listen(): only a
		// connection that goes through says the daemon is ready.
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return
		}
		select {
		case <-done:
			log, _ := os.ReadFile(strings.TrimPrefix(argv[len(argv)-2], "--log-file="))
			t.Fatalf("%s exited before making %s: %v\n%s", strings.Join(argv, " "), path, cmd.ProcessState, log)
		case <-tick.C:
		}
	}
}
