package ovs

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

// realOVS is Open vSwitch in userspace for one test (notes/machine.md
// §10): ovsdb-server and ovs-vswitchd in a temp dir, the switch in a
// network namespace of its own, both stopped by pid at the end.
type realOVS struct {
	dir, ns, db string
	local       *exec.Local
}

func startOVS(t *testing.T) *realOVS {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ip")
	schema := "/usr/share/openvswitch/vswitch.ovsschema"
	if _, err := os.Stat(schema); err != nil {
		exectest.Unavailable(t, "no "+schema)
	}
	dir := t.TempDir()
	o := &realOVS{dir: dir, ns: fmt.Sprintf("vrunovs%d", os.Getpid()), db: "unix:" + filepath.Join(dir, "db.sock"), local: &exec.Local{}}
	o.must(t, "ip", "netns", "add", o.ns)
	t.Cleanup(func() { o.run("ip", "netns", "del", o.ns) })
	o.must(t, "ovsdb-tool", "create", filepath.Join(dir, "conf.db"), schema)
	o.must(t, "ovsdb-server", filepath.Join(dir, "conf.db"), "--remote=p"+o.db, "--pidfile="+filepath.Join(dir, "ovsdb.pid"),
		"--detach", "--log-file="+filepath.Join(dir, "ovsdb.log"), "--unixctl="+filepath.Join(dir, "ovsdb.ctl"))
	t.Cleanup(func() { stop(t, filepath.Join(dir, "ovsdb.pid")) })
	o.must(t, "ovs-vsctl", "--db="+o.db, "--no-wait", "init")
	o.must(t, "ip", "netns", "exec", o.ns, "ovs-vswitchd", o.db, "--pidfile="+filepath.Join(dir, "vswitchd.pid"),
		"--detach", "--log-file="+filepath.Join(dir, "vswitchd.log"), "--unixctl="+filepath.Join(dir, "vswitchd.ctl"))
	t.Cleanup(func() { stop(t, filepath.Join(dir, "vswitchd.pid")) })
	return o
}

func (o *realOVS) run(argv ...string) exec.Result {
	r, err := o.local.Run(context.Background(), exec.Cmd{Argv: argv, Env: []string{"OVS_RUNDIR=" + o.dir}})
	if err != nil {
		r.Code, r.Stderr = -1, []byte(err.Error())
	}
	return r
}

func (o *realOVS) must(t *testing.T, argv ...string) {
	t.Helper()
	if r := o.run(argv...); r.Code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(argv, " "), r.Code, r.Stderr)
	}
}

// stop kills a daemon by the pid in its pidfile and waits until it is
// gone, so the temp dir can be removed.
func stop(t *testing.T, pidfile string) {
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
