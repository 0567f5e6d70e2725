package lxcsim

import (
	"fmt"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// templates are the ones the fake can run: LXC's own busybox, the
// lxc-templates debian one (seed 003) and none (a config only).
var templates = map[string]bool{"busybox": true, "debian": true, "none": true}

func create(h *sim.Host, c *call) exec.Result {
	st := slot.Get(h)
	if st.find(c.path, c.name) != nil || h.IsDir(path.Join(c.path, c.name)) {
		return c.fail(1, "../src/lxc/tools/lxc_create.c: main: 264", "Container already exists")
	}
	tmpl, _ := first(c.opts, "-t", "--template")
	if tmpl == "" {
		tmpl = "none" // LXC 5 makes a config-only container without -t
	}
	if !templates[path.Base(tmpl)] {
		return c.fail(1, "", fmt.Sprintf("../src/lxc/utils.c: get_template_path: 900 No such file or directory - bad template: %s", tmpl),
			fmt.Sprintf("../src/lxc/lxccontainer.c: __lxcapi_create: 1799 Template \"%s\" not found", tmpl),
			fmt.Sprintf("../src/lxc/tools/lxc_create.c: main: 317 Failed to create container %s", c.name))
	}
	user := ""
	if f, ok := first(c.opts, "-f", "--rcfile"); ok {
		data, ok := h.ReadFile(f)
		if !ok {
			return c.fail(1, "../src/lxc/tools/lxc_create.c: main: 293", fmt.Sprintf("Failed to load config file %s for %s", f, c.name))
		}
		user = string(data)
	} else if data, ok := h.ReadFile("/etc/lxc/default.conf"); ok {
		user = string(data)
	}
	ct := &Container{Path: c.path, Name: c.name, State: "STOPPED"}
	root := path.Join(ct.dir(), "rootfs")
	h.MakeDir(root)
	tmpl = path.Base(tmpl)
	var b strings.Builder
	if tmpl != "none" {
		fmt.Fprintf(&b, "# Template used to create this container: /usr/share/lxc/templates/lxc-%s\n", tmpl)
		fmt.Fprintf(&b, "# Parameters passed to the template: %s\n", strings.Join(c.operands, " "))
		b.WriteString("# For additional config options, please look at lxc.container.conf(5)\n\n")
	}
	b.WriteString(user)
	if user != "" && !strings.HasSuffix(user, "\n") {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "lxc.rootfs.path = dir:%s\n", root)
	if tmpl != "none" {
		fmt.Fprintf(&b, "lxc.uts.name = \"%s\"\n", c.name)
		populate(h, root, tmpl, c.name)
	}
	h.WriteFile(path.Join(ct.dir(), "config"), []byte(b.String()), 0o640)
	st.add(ct)
	return sim.OK("")
}

// populate writes what the template leaves in a root filesystem: enough
// for the files a recipe reads or replaces (busybox's /etc is recorded
// from LXC 5.0.2's lxc-busybox: a 30-byte passwd, a 14-byte group).
func populate(h *sim.Host, root, tmpl, name string) {
	for _, d := range []string{"bin", "dev", "etc", "home", "lib", "mnt", "proc", "root", "sbin", "sys", "tmp", "usr/bin", "usr/sbin", "var"} {
		h.MakeDir(path.Join(root, d))
	}
	files := map[string]string{"etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "etc/group": "root:x:0:root\n",
		"etc/shadow": "", "etc/fstab": "", "bin/busybox": "simulated busybox\n",
		"etc/init.d/rcS": "#!/bin/sh\n/bin/syslogd\n/bin/mount -a\n/bin/udhcpc\n"}
	if tmpl == "debian" {
		files = map[string]string{"etc/passwd": "root:x:0:0:root:/root:/bin/bash\n", "etc/group": "root:x:0:\n",
			"etc/shadow": "root:*:19000:0:99999:7:::\n", "etc/debian_version": "12.15\n", "etc/hostname": name + "\n",
			"etc/hosts": "127.0.0.1 localhost\n127.0.1.1 " + name + "\n", "bin/bash": "simulated bash\n"}
	}
	for p, data := range files {
		mode := uint32(0o644)
		if strings.HasPrefix(p, "bin/") || strings.HasSuffix(p, "rcS") {
			mode = 0o755
		}
		h.WriteFile(path.Join(root, p), []byte(data), mode)
	}
	h.Symlink("/bin/"+map[string]string{"busybox": "busybox", "debian": "bash"}[tmpl], path.Join(root, "sbin/init"))
}

// logTo appends LXC log-file lines to the -o file, as lxc-* -o does.
func (c *call) logTo(h *sim.Host, lines ...string) {
	f, ok := c.opts["-o"]
	if !ok {
		f, ok = c.opts["--logfile"]
	}
	if !ok || !h.IsDir(path.Dir(f)) {
		return
	}
	old, _ := h.ReadFile(f)
	var b strings.Builder
	b.Write(old)
	for _, l := range lines {
		fmt.Fprintf(&b, "%s %s 20260101000000.000 ERROR    %s\n", c.tool, c.name, l)
	}
	h.WriteFile(f, []byte(b.String()), 0o600)
}

func start(h *sim.Host, c *call) exec.Result {
	st := slot.Get(h)
	ct := st.find(c.path, c.name)
	if ct == nil {
		return c.fail(1, "../src/lxc/tools/lxc_start.c: main: 266", "No container config specified")
	}
	if ct.State != "STOPPED" {
		return c.fail(0, "../src/lxc/tools/lxc_start.c: main: 256", "Container is already running")
	}
	cfg := readConfig(h, ct)
	if why := netProblem(h, cfg); why != "" {
		c.logTo(h, "network - ../src/lxc/network.c:netdev_configure_server_veth:711 - "+why,
			"network - ../src/lxc/network.c:lxc_create_network_priv:3427 - No such file or directory - Failed to create network device",
			"start - ../src/lxc/start.c:lxc_spawn:1840 - Failed to create the network",
			"lxccontainer - ../src/lxc/lxccontainer.c:wait_on_daemonized_start:878 - Received container state \"ABORTING\" instead of \"RUNNING\"",
			"lxc_start - ../src/lxc/tools/lxc_start.c:main:306 - The container failed to start")
		return c.startFailed()
	}
	if _, ok := h.Readlink(path.Join(rootfsOf(cfg), "sbin/init")); !ok {
		c.logTo(h, "conf - ../src/lxc/conf.c:lxc_mount_auto_mounts:737 - No such file or directory - Failed to mount \"proc\" on \"/proc\"",
			"lxccontainer - ../src/lxc/lxccontainer.c:wait_on_daemonized_start:878 - Received container state \"ABORTING\" instead of \"RUNNING\"")
		return c.startFailed()
	}
	ct.State, ct.PID = "RUNNING", st.pid()
	return sim.OK("")
}

func (c *call) startFailed() exec.Result {
	return c.fail(1, "", "../src/lxc/lxccontainer.c: wait_on_daemonized_start: 878 Received container state \"ABORTING\" instead of \"RUNNING\"",
		"../src/lxc/tools/lxc_start.c: main: 306 The container failed to start",
		"../src/lxc/tools/lxc_start.c: main: 309 To get more details, run the container in foreground mode",
		"../src/lxc/tools/lxc_start.c: main: 311 Additional information can be obtained by setting the --logfile and --logpriority options")
}

// pid hands out the next container init's process id.
func (s *State) pid() int {
	s.Next++
	return 9000 + s.Next
}

// netProblem is why LXC could not set up the container's network: a veth
// needs its bridge (lxc.net.N.link) on the host.
func netProblem(h *sim.Host, cfg []kv) string {
	for i := 0; i < 10; i++ {
		pre := fmt.Sprintf("lxc.net.%d.", i)
		if get(cfg, pre+"type") != "veth" {
			continue
		}
		br := get(cfg, pre+"link")
		if br == "" {
			continue // a veth without a bridge: only the host end
		}
		l, ok := sim.NetworkOf(h).Link(br)
		if !ok || l.Kind != sim.KindBridge {
			return fmt.Sprintf("No such file or directory - Failed to attach \"vethSIM%d\" to bridge \"%s\", bridge interface doesn't exist", i, br)
		}
	}
	return ""
}

func stop(h *sim.Host, c *call) exec.Result {
	ct := slot.Get(h).find(c.path, c.name)
	if ct == nil {
		return c.fail(1, "../src/lxc/tools/lxc_stop.c: main: 155", fmt.Sprintf("%s is not running", c.name))
	}
	if ct.State == "STOPPED" {
		return c.fail(2, "../src/lxc/tools/lxc_stop.c: main: 168", fmt.Sprintf("%s is not running", c.name))
	}
	ct.State, ct.PID, ct.Cgroup = "STOPPED", 0, nil
	return sim.OK("")
}

func wait(h *sim.Host, c *call) exec.Result {
	want := c.opts["-s"]
	for _, s := range strings.Split(want, "|") {
		if !validState(s) {
			return c.fail(1, "../src/lxc/state.c: lxc_str2state: 51", fmt.Sprintf("invalid state '%s'", s))
		}
	}
	now := "STOPPED"
	if ct := slot.Get(h).find(c.path, c.name); ct != nil {
		now = ct.State
	}
	for _, s := range strings.Split(want, "|") {
		if s == now {
			return sim.OK("")
		}
	}
	return sim.Fail(1, "") // the simulated clock moves only with commands: it would time out
}

func validState(s string) bool {
	switch s {
	case "STOPPED", "STARTING", "RUNNING", "STOPPING", "ABORTING", "FREEZING", "FROZEN", "THAWED":
		return true
	}
	return false
}

func freeze(h *sim.Host, c *call) exec.Result {
	ct := slot.Get(h).find(c.path, c.name)
	if ct == nil || ct.State == "STOPPED" {
		return c.fail(1, "", "../src/lxc/commands.c: lxc_cmd_serve_state_clients: 1579 Connection refused - Failed to serve state clients",
			"../src/lxc/freezer.c: do_freeze_thaw: 46 Failed to freeze "+c.name,
			"../src/lxc/commands.c: lxc_cmd_serve_state_clients: 1579 Connection refused - Failed to serve state clients",
			fmt.Sprintf("../src/lxc/tools/lxc_freeze.c: main: 87 Failed to freeze %s:%s", c.path, c.name))
	}
	ct.State = "FROZEN"
	return sim.OK("")
}

// unfreeze thaws; LXC 5 exits 0 for a stopped container too (recorded).
func unfreeze(h *sim.Host, c *call) exec.Result {
	if ct := slot.Get(h).find(c.path, c.name); ct != nil && ct.State == "FROZEN" {
		ct.State = "RUNNING"
	}
	return sim.OK("")
}

func destroy(h *sim.Host, c *call) exec.Result {
	st := slot.Get(h)
	ct := st.find(c.path, c.name)
	if ct == nil {
		return c.fail(1, "../src/lxc/tools/lxc_destroy.c: main: 263", fmt.Sprintf("Container is not defined"))
	}
	if ct.State != "STOPPED" && !c.has("-f", "--force") {
		return c.fail(1, "../src/lxc/tools/lxc_destroy.c: do_destroy: 91", fmt.Sprintf("%s is running", c.name))
	}
	if len(ct.Snapshots) > 0 && !c.has("-s", "--snapshots") {
		return c.fail(1, "../src/lxc/tools/lxc_destroy.c: do_destroy: 85", fmt.Sprintf("Destroying %s failed: %s has snapshots", c.name, c.name))
	}
	h.RemoveTree(ct.dir())
	st.remove(ct)
	return sim.OK("")
}
