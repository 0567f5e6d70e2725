package lxcsim

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// attach runs the few commands the fake knows inside a container: true,
// false, echo, hostname and cat (of the container's own files).
func attach(h *sim.Host, c *call) exec.Result {
	ct := slot.Get(h).find(c.path, c.name)
	if ct == nil || ct.State != "RUNNING" {
		return c.fail(1, "", "../src/lxc/attach.c: get_attach_context: 406 Connection refused - Failed to get init pid",
			"../src/lxc/attach.c: lxc_attach: 1470 Connection refused - Failed to get attach context")
	}
	argv := c.operands
	if len(argv) == 0 {
		return sim.Fail(1, "lxc-attach: the simulated host needs a command after --\n")
	}
	root := rootfsOf(readConfig(h, ct))
	switch path.Base(argv[0]) {
	case "true":
		return sim.OK("")
	case "false":
		return sim.Fail(1, "")
	case "echo":
		return sim.OK(strings.Join(argv[1:], " ") + "\n")
	case "hostname":
		return sim.OK(ct.Name + "\n")
	case "cat":
		var out []byte
		for _, p := range argv[1:] {
			data, ok := h.ReadFile(path.Join(root, p))
			if !ok {
				return exec.Result{Code: 1, Stdout: out, Stderr: []byte(fmt.Sprintf("cat: can't open '%s': No such file or directory\n", p))}
			}
			out = append(out, data...)
		}
		return exec.Result{Stdout: out}
	}
	r := c.fail(127, "../src/lxc/attach.c: lxc_attach_run_command: 1841", fmt.Sprintf("No such file or directory - Failed to exec \"%s\"", argv[0]))
	return r
}

func (c *call) cloneFailed(h *sim.Host, why string) exec.Result {
	c.logTo(h, "lxccontainer - ../src/lxc/lxccontainer.c:do_lxcapi_clone:3797 - "+why,
		"lxc_copy - ../src/lxc/tools/lxc_copy.c:do_clone:391 - Failed to clone")
	return c.fail(1, "", "../src/lxc/lxccontainer.c: do_lxcapi_clone: 3797 "+why, "../src/lxc/tools/lxc_copy.c: do_clone: 391 Failed to clone")
}

func copyCt(h *sim.Host, c *call) exec.Result {
	st := slot.Get(h)
	ct := st.find(c.path, c.name)
	if ct == nil {
		return c.fail(1, "../src/lxc/tools/lxc_copy.c: main: 217", fmt.Sprintf("Error: container %s is not defined", c.name))
	}
	nn, _ := first(c.opts, "-N", "--newname")
	if ct.State != "STOPPED" {
		return c.cloneFailed(h, fmt.Sprintf("error: Original container (%s) is running. Use --allowrunning if you want to force a snapshot of the running container.", c.name))
	}
	dst := path.Join(c.path, nn)
	if nn == "" || st.find(c.path, nn) != nil || h.IsDir(dst) {
		return c.cloneFailed(h, fmt.Sprintf("error: clone: %s/config exists", dst))
	}
	if err := clone(h, ct.dir(), dst, c.name, nn); err != nil {
		return c.cloneFailed(h, err.Error())
	}
	st.add(&Container{Path: c.path, Name: nn, State: "STOPPED"})
	return sim.OK("")
}

// clone copies a container's config and rootfs to dir, renaming it in the
// config as lxc-copy does.
func clone(h *sim.Host, from, to, oldName, newName string) error {
	h.MakeDir(to)
	if err := h.CopyTree(path.Join(from, "rootfs"), path.Join(to, "rootfs")); err != nil {
		return err
	}
	data, _ := h.ReadFile(path.Join(from, "config"))
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(data), "\n") {
		switch k, _, _ := strings.Cut(line, "="); strings.TrimSpace(k) {
		case "lxc.rootfs.path":
			line = fmt.Sprintf("lxc.rootfs.path = dir:%s/rootfs\n", to)
		case "lxc.uts.name":
			line = fmt.Sprintf("lxc.uts.name = %s\n", newName)
		}
		b.WriteString(line)
	}
	h.WriteFile(path.Join(to, "config"), []byte(b.String()), 0o640)
	return nil
}

func snapshot(h *sim.Host, c *call) exec.Result {
	st := slot.Get(h)
	ct := st.find(c.path, c.name)
	if ct == nil {
		return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: main: 110", fmt.Sprintf("Container \"%s\" does not exist", c.name))
	}
	switch {
	case c.has("-L", "--list"):
		if len(ct.Snapshots) == 0 {
			return sim.OK("No snapshots\n")
		}
		var b strings.Builder
		for _, s := range ct.Snapshots {
			fmt.Fprintf(&b, "%s (%s/snaps) %s\n", s.Name, ct.dir(), s.Time)
		}
		return sim.OK(b.String())
	case c.has("-r", "--restore"):
		return restore(h, c, st, ct)
	}
	if ct.State != "STOPPED" {
		lines := []string{"Snapshot of directory-backed container requested", "Making a copy-clone.  If you do want snapshots, then",
			"please create overlay clone first, snapshot that", "and keep the original container pristine",
			fmt.Sprintf("error: Original container (%s) is running. Use --allowrunning if you want to force a snapshot of the running container.", c.name),
			fmt.Sprintf("Failed to clone of %s:%s", c.path, c.name), "Error creating a snapshot"}
		for _, l := range lines {
			c.logTo(h, "lxccontainer - ../src/lxc/lxccontainer.c:do_lxcapi_snapshot:4178 - "+l)
		}
		return c.fail(1, "../src/lxc/lxccontainer.c: do_lxcapi_snapshot: 4178", lines...)
	}
	n := 0
	for taken := true; taken; n++ {
		taken = false
		for _, s := range ct.Snapshots {
			taken = taken || s.Name == fmt.Sprintf("snap%d", n)
		}
	}
	name := fmt.Sprintf("snap%d", n-1)
	st.Next++
	ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(st.Next) * time.Minute).Format("2006:01:02 15:04:05")
	dir := path.Join(ct.dir(), "snaps", name)
	if err := clone(h, ct.dir(), dir, c.name, name); err != nil {
		return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: do_snapshot: 197", err.Error())
	}
	h.WriteFile(path.Join(dir, "ts"), []byte(ts), 0o644)
	ct.Snapshots = append(ct.Snapshots, Snap{Name: name, Time: ts})
	return sim.OK("")
}

// restore copies a snapshot back over the container, or into a new one.
func restore(h *sim.Host, c *call, st *State, ct *Container) exec.Result {
	snap, _ := first(c.opts, "-r", "--restore")
	found := false
	for _, s := range ct.Snapshots {
		found = found || s.Name == snap
	}
	if !found {
		return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: do_restore_snapshots: 230", "Failed to restore snapshot "+snap)
	}
	nn, _ := first(c.opts, "-N", "--newname")
	if nn == "" {
		nn = c.name
	}
	src := path.Join(ct.dir(), "snaps", snap)
	dst := path.Join(c.path, nn)
	if nn == c.name {
		if ct.State != "STOPPED" {
			return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: do_restore_snapshots: 230", "Failed to restore snapshot "+snap)
		}
		h.RemoveTree(path.Join(dst, "rootfs"))
	} else if st.find(c.path, nn) != nil || h.IsDir(dst) {
		return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: do_restore_snapshots: 230", "Failed to restore snapshot "+snap)
	}
	if err := clone(h, src, dst, snap, nn); err != nil {
		return c.fail(1, "../src/lxc/tools/lxc_snapshot.c: do_restore_snapshots: 230", err.Error())
	}
	if nn != c.name {
		st.add(&Container{Path: c.path, Name: nn, State: "STOPPED"})
	}
	return sim.OK("")
}
