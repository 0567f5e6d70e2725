// Package ovstest runs Open vSwitch in userspace for one test
// (notes/machine.md §10): ovsdb-server and ovs-vswitchd in a temp dir,
// the switch in a network namespace of its own, both stopped by pid and
// the namespace deleted when the test ends. Bridges need
// datapath_type=netdev: this kernel has no OVS module.
package ovstest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
	o.Must(t, "ovsdb-server", filepath.Join(dir, "conf.db"), "--remote=p"+o.DB, "--pidfile="+filepath.Join(dir, "ovsdb.pid"),
		"--detach", "--log-file="+filepath.Join(dir, "ovsdb.log"), "--unixctl="+filepath.Join(dir, "ovsdb.ctl"))
	t.Cleanup(func() { Stop(t, filepath.Join(dir, "ovsdb.pid")) })
	o.Must(t, "ovs-vsctl", "--db="+o.DB, "--no-wait", "init")
	o.Must(t, "ip", "netns", "exec", o.NS, "ovs-vswitchd", o.DB, "--pidfile="+filepath.Join(dir, "vswitchd.pid"),
		"--detach", "--log-file="+filepath.Join(dir, "vswitchd.log"), "--unixctl="+filepath.Join(dir, "vswitchd.ctl"))
	t.Cleanup(func() { Stop(t, filepath.Join(dir, "vswitchd.pid")) })
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

// Stop kills a daemon by the pid in its pidfile and waits until it is
// gone, so the temp dir can be removed.
func Stop(t *testing.T, pidfile string) {
	data, err := os.ReadFile(pidfile)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		t.Errorf("pidfile %s: %q", pidfile, data)
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for i := 0; i < 500; i++ { // a bounded wait: the daemons exit at once on SIGTERM
		if gone(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// gone reports whether pid has exited: no process, or a zombie nobody
// reaps (PID 1 here is no init).
func gone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}
