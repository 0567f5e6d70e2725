// Package lxctest has what real-LXC tests share: the checks for LXC and
// root, a private lxcpath cleaned up with everything LXC leaves behind,
// and an executor running commands in a network namespace of the test's.
package lxctest

import (
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
)

// Require skips (or fails under VRUN_REQUIRE_REAL_TOOLS=1) without root
// and LXC with its busybox template and rsync (lxc-copy, lxc-snapshot).
func Require(t testing.TB) {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "lxc-create", "lxc-start", "lxc-copy", "busybox", "rsync", "ip")
}

// Path makes a private lxcpath and removes, at the end, every
// container in it and what LXC leaves behind: its lock directory under
// /run/lxc and the empty lxc.pivot and lxc.monitor.* cgroup directories.
func Path(t testing.TB, ex exec.Executor) string {
	t.Helper()
	p, err := os.MkdirTemp("", "vrun-lxc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			ex.Run(ctx, exec.Cmd{Argv: []string{"lxc-stop", "-P", p, "-n", e.Name(), "-k"}})
			if r, err := ex.Run(ctx, exec.Cmd{Argv: []string{"lxc-destroy", "-P", p, "-n", e.Name(), "-s"}}); err != nil || r.Code != 0 {
				t.Errorf("cleanup: lxc-destroy %s: %v %s", e.Name(), err, r.Stderr)
			}
		}
		os.RemoveAll(p)
		os.RemoveAll(filepath.Join("/run/lxc/lock", p))
		RemoveLeftovers()
	})
	return p
}

// RemoveLeftovers removes the empty cgroup directories LXC leaves
// (rmdir only removes empty ones: a running container elsewhere keeps its).
func RemoveLeftovers() {
	for _, pattern := range []string{"/sys/fs/cgroup/*/lxc.pivot", "/sys/fs/cgroup/*/lxc.monitor.*", "/sys/fs/cgroup/*/lxc.payload.*",
		"/sys/fs/cgroup/lxc.pivot", "/sys/fs/cgroup/lxc.monitor.*", "/sys/fs/cgroup/lxc.payload.*"} {
		dirs, _ := filepath.Glob(pattern)
		for _, d := range dirs {
			os.Remove(d)
		}
	}
	for _, d := range []string{"/run/lxc/lock/tmp", "/run/lxc/lock", "/run/lxc"} {
		os.Remove(d) // only when empty: another user's locks stay
	}
}

// Netns runs every command inside a network namespace: LXC then makes a
// container's veth there, on a bridge only the test can see. LXC finds
// the bridge in /sys/class/net, so the command also needs the namespace's
// own sysfs on /sys (as ip netns exec mounts it) with the host's cgroup
// mounts kept below it (ip netns exec hides them: lxc-freeze then fails).
// Each command gets a private mount namespace for that.
type Netns struct {
	Name, cg string
	inner    exec.Executor
}

const netnsScript = `mount --rbind /sys/fs/cgroup "$0" && mount -t sysfs sysfs /sys && mount --rbind "$0" /sys/fs/cgroup && exec "$@"`

func (n *Netns) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	argv := c.Argv
	c.Argv = append([]string{"nsenter", "--net=/run/netns/" + n.Name, "unshare", "--mount", "--propagation", "private",
		"sh", "-c", netnsScript, n.cg}, argv...)
	r, err := n.inner.Run(ctx, c)
	r.Argv = argv
	return r, err
}

// NewNetns makes a namespace with an up bridge (none for ""), removed at
// the end.
func NewNetns(t testing.TB, bridge string) *Netns {
	t.Helper()
	name := fmt.Sprintf("vrunlxc%d%s", os.Getpid(), bridge)
	sh := func(args ...string) {
		if out, err := osexec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v %s", strings.Join(args, " "), err, out)
		}
	}
	sh("netns", "add", name)
	t.Cleanup(func() { osexec.Command("ip", "netns", "del", name).Run() })
	if bridge != "" {
		sh("-n", name, "link", "add", bridge, "type", "bridge")
		sh("-n", name, "link", "set", bridge, "up")
	}
	cg := "/run/" + name + "-cgroup"
	if err := os.Mkdir(cg, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(cg) })
	return &Netns{Name: name, cg: cg, inner: &exec.Local{}}
}
