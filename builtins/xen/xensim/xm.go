package xensim

import (
	"context"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// xm is xend's client as on CentOS 5 (Xen 3.x, tools/python/xen/xm/main.py):
// list (its table, or --long's S-expressions), info, create, shutdown,
// reboot, destroy. Errors are xend's "Error: ..." on stderr, exit 1.
func xm(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	s := slot.Get(h)
	if s.Toolstack != "xm" {
		return sim.NotInstalled() // an xl dom0: xend is gone (Xen >= 4.5)
	}
	args := c.Argv[1:]
	if len(args) == 0 {
		return sim.Fail(1, "Usage: xm <subcommand> [args]\n")
	}
	opts, ops := sim.Getopt(args[1:])
	switch args[0] {
	case "list":
		_, long := opts["--long"]
		if _, l := opts["-l"]; l || long {
			return sim.OK(xmListLong(s))
		}
		return sim.OK(xmListTable(s))
	case "info":
		return sim.OK(xmInfo(s))
	case "create":
		if len(ops) != 1 {
			return sim.Fail(1, "Error: the simulated host supports only xm create CONFIG\n")
		}
		d, err := create(h, s, ops[0])
		if err != nil {
			return sim.Fail(1, fmt.Sprintf("Using config file \"%s\".\n%s", ops[0], err.xmText()))
		}
		return sim.OK(fmt.Sprintf("Using config file \"%s\".\nStarted domain %s (id=%d)\n", ops[0], d.Name, d.ID))
	case "shutdown", "reboot", "destroy":
		if len(ops) != 1 {
			return sim.Fail(1, fmt.Sprintf("Error: the simulated host supports only xm %s [-w] DOMAIN\n", args[0]))
		}
		d, ok := s.find(ops[0])
		if !ok {
			return sim.Fail(1, fmt.Sprintf("Error: Domain '%s' does not exist.\n", ops[0]))
		}
		if args[0] == "reboot" {
			s.reboot(d)
		} else {
			s.remove(d) // on_poweroff = destroy
		}
		return sim.OK("")
	}
	return sim.Fail(1, fmt.Sprintf("Error: the simulated host supports xm list, info, create, shutdown, reboot and destroy, not %q\n", args[0]))
}

// xmListTable is xm_brief_list's "%-40s %3s %5d %5d %10s %8.1f".
func xmListTable(s *State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %3s %5s %5s %10s %9s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)")
	fmt.Fprintf(&b, "%-40s %3d %5d %5d %10s %8.1f\n", "Domain-0", 0, 1024, 2, "r-----", 42.0)
	for _, d := range s.Domains {
		fmt.Fprintf(&b, "%-40s %3d %5d %5d %10s %8.1f\n", d.Name, d.ID, d.MemoryMiB, d.VCPUs, "-b----", 1.5)
	}
	return b.String()
}

// sx builds S-expressions for the printer: a string is an atom, a []any a list.
type sx = []any

// xmListLong is what XendDomainInfo.sxpr gives and xm's PrettyPrint
// prints, with the keys of the testdata sample (Domain-0 first).
func xmListLong(s *State) string {
	var b strings.Builder
	dom0 := sx{"domain", sx{"domid", "0"}, sx{"uuid", "00000000-0000-0000-0000-000000000000"}, sx{"vcpus", "2"},
		sx{"name", "Domain-0"}, sx{"maxmem", "16777215"}, sx{"memory", "1024"}, sx{"cpu_time", "42.0"},
		sx{"online_vcpus", "2"}, sx{"status", "2"}, sx{"state", "r-----"}}
	pretty(&b, dom0, 0)
	for _, d := range s.Domains {
		img := "linux"
		if d.Type == "hvm" {
			img = "hvm"
		}
		v := sx{"domain", sx{"domid", fmt.Sprint(d.ID)}, sx{"on_crash", "restart"}, sx{"uuid", d.UUID},
			sx{"bootloader_args", ""}, sx{"vcpus", fmt.Sprint(d.VCPUs)}, sx{"name", d.Name}, sx{"on_poweroff", "destroy"},
			sx{"on_reboot", "restart"}, sx{"maxmem", fmt.Sprint(d.MemoryMiB)}, sx{"memory", fmt.Sprint(d.MemoryMiB)},
			sx{"cpu_time", "1.5"}, sx{"online_vcpus", fmt.Sprint(d.VCPUs)},
			sx{"image", sx{img, sx{"kernel", ""}, sx{"notes", sx{"FEATURES", "writable_page_tables|pae_pgdir_above_4gb"}}}},
			sx{"status", "2"}, sx{"state", "-b----"}}
		for i, br := range d.Bridges {
			v = append(v, sx{"device", sx{"vif", sx{"bridge", br}, sx{"mac", fmt.Sprintf("00:16:3e:%02x:%02x:%02x", d.ID, i, len(d.Name))},
				sx{"script", "vif-bridge"}, sx{"backend", "0"}}})
		}
		for _, k := range d.Disks {
			uname := "file:" + k.Path
			if strings.HasPrefix(k.Path, "/dev/") {
				uname = "phy:" + k.Path
			} else if k.Format != "raw" {
				uname = "tap:" + k.Format + ":" + k.Path
			}
			v = append(v, sx{"device", sx{"vbd", sx{"uname", uname}, sx{"mode", "w"}, sx{"dev", k.Vdev + ":disk"}, sx{"backend", "0"}, sx{"bootable", "1"}}})
		}
		pretty(&b, v, 0)
	}
	return b.String()
}

// pretty prints as xen/xend/PrettyPrint does for xm: a list of atoms on
// one line, others with each element on its own line 4 spaces in and the
// closing parenthesis on a line of its own.
func pretty(b *strings.Builder, v sx, indent int) {
	pad := strings.Repeat(" ", indent)
	flat := true
	for _, x := range v {
		if _, ok := x.(sx); ok {
			flat = false
		}
	}
	if flat {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = showAtom(x.(string))
		}
		fmt.Fprintf(b, "%s(%s)\n", pad, strings.Join(parts, " "))
		return
	}
	fmt.Fprintf(b, "%s(%s\n", pad, showAtom(v[0].(string)))
	for _, x := range v[1:] {
		if l, ok := x.(sx); ok {
			pretty(b, l, indent+4)
		} else {
			fmt.Fprintf(b, "%s    %s\n", pad, showAtom(x.(string)))
		}
	}
	fmt.Fprintf(b, "%s)\n", pad)
}

// showAtom is sxp.show for a string: bare when sxp.atomp allows it, else
// Python's repr (single quotes, backslash escapes).
func showAtom(a string) string {
	bare := true
	for _, c := range a {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_:/~", c)) {
			bare = false
		}
	}
	if bare {
		return a
	}
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(a); i++ {
		switch c := a[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < ' ' || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// xmInfo is xm info (Xen 3.1 on CentOS 5): xen_major/minor/extra and no
// xen_version, "%-23s: %s".
func xmInfo(s *State) string {
	used := 1024
	for _, d := range s.Domains {
		used += d.MemoryMiB
	}
	rows := [][2]string{{"host", "xen0"}, {"release", "2.6.18-8.1.4.el5xen"}, {"version", "#1 SMP Thu May 17 03:54:59 EDT 2007"},
		{"machine", "i686"}, {"nr_cpus", "2"}, {"nr_nodes", "1"}, {"sockets_per_node", "1"}, {"cores_per_socket", "2"},
		{"threads_per_core", "1"}, {"cpu_mhz", "2400"}, {"total_memory", "4095"}, {"free_memory", fmt.Sprint(4095 - used)},
		{"xen_major", "3"}, {"xen_minor", "1"}, {"xen_extra", ".0-8.1.4.el5"}, {"xen_caps", "xen-3.0-x86_32p"},
		{"xen_pagesize", "4096"}, {"xen_changeset", "unavailable"}, {"cc_compiler", "gcc version 4.1.1 20070105 (Red Hat 4.1.1-52)"},
		{"xend_config_format", "2"}}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-23s: %s\n", r[0], r[1])
	}
	return b.String()
}
