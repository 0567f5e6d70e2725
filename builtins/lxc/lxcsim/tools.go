package lxcsim

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

type kv struct{ key, value string }

// readConfig reads the container's config file (later keys win in get).
func readConfig(h *sim.Host, ct *Container) []kv {
	data, _ := h.ReadFile(path.Join(ct.dir(), "config"))
	var out []kv
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok {
			out = append(out, kv{strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), "\"")})
		}
	}
	return out
}

func get(cfg []kv, key string) string {
	v := ""
	for _, x := range cfg {
		if x.key == key {
			v = x.value
		}
	}
	return v
}

func rootfsOf(cfg []kv) string { return strings.TrimPrefix(get(cfg, "lxc.rootfs.path"), "dir:") }

// ips are the IPv4 addresses a running container shows: its configured
// lxc.net.N.ipv4.address on veth links (the simulation has no DHCP).
func ips(cfg []kv) []string {
	var out []string
	for i := 0; i < 10; i++ {
		pre := fmt.Sprintf("lxc.net.%d.", i)
		if get(cfg, pre+"type") != "veth" {
			continue
		}
		for _, x := range cfg {
			if x.key == pre+"ipv4.address" {
				a, _, _ := strings.Cut(x.value, "/")
				out = append(out, a)
			}
		}
	}
	return out
}

// The resource figures of a running busybox container, as recorded.
const (
	memUse  = 1187840
	kmemUse = 745472
	cpuUse  = 6558192
	ramMB   = "0.88MB"
)

func info(h *sim.Host, c *call) exec.Result {
	ct := slot.Get(h).find(c.path, c.name)
	if ct == nil {
		return sim.Fail(1, c.name+" doesn't exist\n")
	}
	cfg := readConfig(h, ct)
	if key, ok := c.opts["-c"]; ok {
		v := get(cfg, key)
		if key == "lxc.rootfs.path" {
			v = rootfsOf(cfg)
		}
		return sim.OK(fmt.Sprintf("%s = %s\n", key, v))
	}
	human := c.has("-H", "--no-humanize")
	only := []string{}
	for _, o := range []string{"-s", "-p", "-i"} {
		if c.has(o) {
			only = append(only, o)
		}
	}
	if human && len(only) == 1 { // the bare values
		switch only[0] {
		case "-s":
			return sim.OK(ct.State + "\n")
		case "-p":
			if ct.PID > 0 {
				return sim.OK(fmt.Sprintf("%d\n", ct.PID))
			}
			return sim.OK("")
		default:
			if ct.State == "STOPPED" {
				return sim.OK("")
			}
			return sim.OK(strings.Join(append(ips(cfg), ""), "\n"))
		}
	}
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%-15s %s\n", k+":", v) }
	line("Name", ct.Name)
	line("State", ct.State)
	if ct.State != "STOPPED" {
		line("PID", strconv.Itoa(ct.PID))
		for _, ip := range ips(cfg) {
			line("IP", ip)
		}
		if human {
			line("CPU use", strconv.Itoa(cpuUse))
			line("BlkIO use", "0")
			line("Memory use", strconv.Itoa(memUse))
			line("KMem use", strconv.Itoa(kmemUse))
		} else {
			line("CPU use", "0.01 seconds")
			line("BlkIO use", "0 bytes")
			line("Memory use", "1.13 MiB")
			line("KMem use", "728.00 KiB")
		}
	}
	return sim.OK(b.String())
}

func ls(h *sim.Host, c *call) exec.Result {
	var cts []*Container
	for _, ct := range slot.Get(h).Containers {
		if ct.Path == c.path {
			cts = append(cts, ct)
		}
	}
	if c.has("-1") || !c.has("-f", "--fancy") {
		var b strings.Builder
		for _, ct := range cts {
			b.WriteString(ct.Name + "\n")
		}
		return sim.OK(b.String())
	}
	cols := []string{"NAME", "STATE", "AUTOSTART", "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED"}
	if f, ok := first(c.opts, "-F", "--fancy-format"); ok {
		cols = strings.Split(strings.ToUpper(f), ",")
	}
	if len(cts) == 0 {
		return sim.OK("")
	}
	table := [][]string{cols}
	for _, ct := range cts {
		cfg := readConfig(h, ct)
		running := ct.State != "STOPPED"
		row := []string{}
		for _, col := range cols {
			v := "-"
			switch col {
			case "NAME":
				v = ct.Name
			case "STATE":
				v = ct.State
			case "AUTOSTART":
				v = "0"
			case "UNPRIVILEGED":
				v = "false"
			case "PID":
				if running {
					v = strconv.Itoa(ct.PID)
				}
			case "RAM":
				if running {
					v = ramMB
				}
			case "IPV4":
				if got := ips(cfg); running && len(got) > 0 {
					v = strings.Join(got, ", ")
				}
			case "INTERFACE":
				if running {
					v = strings.Join(append(ifaces(cfg), "lo"), ", ")
				}
			case "GROUPS", "IPV6", "SWAP":
			default:
				return sim.Fail(1, fmt.Sprintf("lxc-ls: Invalid key: %s\n", col))
			}
			row = append(row, v)
		}
		table = append(table, row)
	}
	return sim.OK(render(table))
}

// ifaces are the container's interface names besides lo, sorted as lxc-ls
// sorts them.
func ifaces(cfg []kv) []string {
	var out []string
	for i := 0; i < 10; i++ {
		pre := fmt.Sprintf("lxc.net.%d.", i)
		if t := get(cfg, pre+"type"); t == "veth" {
			n := get(cfg, pre+"name")
			if n == "" {
				n = fmt.Sprintf("eth%d", i)
			}
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// render pads every cell to its column's width plus one space, as lxc-ls
// does (each line ends with a space).
func render(t [][]string) string {
	w := make([]int, len(t[0]))
	for _, row := range t {
		for i, v := range row {
			w[i] = max(w[i], len(v))
		}
	}
	var b strings.Builder
	for _, row := range t {
		for i, v := range row {
			fmt.Fprintf(&b, "%-*s ", w[i], v)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// v1Defaults are the cgroup v1 values of a fresh container on this
// machine's hybrid layout (v2 keys such as memory.max are not there).
var v1Defaults = map[string]string{"memory.limit_in_bytes": "9223372036854771712", "devices.list": "a *:* rwm",
	"memory.usage_in_bytes": strconv.Itoa(memUse), "cpu.shares": "1024", "pids.max": "max", "cpuset.cpus": "0-1"}

func cgroup(h *sim.Host, c *call) exec.Result {
	ct := slot.Get(h).find(c.path, c.name)
	if ct == nil || ct.State == "STOPPED" {
		return c.fail(1, "../src/lxc/tools/lxc_cgroup.c: main: 102", fmt.Sprintf("'%s:%s' is not running", c.path, c.name))
	}
	if len(c.operands) == 0 {
		return sim.Fail(1, "lxc-cgroup: missing state object\n")
	}
	key := c.operands[0]
	cur, known := ct.Cgroup[key]
	if !known {
		cur, known = v1Defaults[key]
	}
	if len(c.operands) == 1 {
		if !known {
			return c.fail(1, "../src/lxc/tools/lxc_cgroup.c: main: 122", fmt.Sprintf("Failed to retrieve value of '%s' for '%s:%s'", key, c.path, c.name))
		}
		return sim.OK(cur + "\n\n")
	}
	val := c.operands[1]
	if !known || (key == "memory.limit_in_bytes" && !settable(val)) {
		return c.fail(1, "../src/lxc/tools/lxc_cgroup.c: main: 111", fmt.Sprintf("Failed to assign '%s' value to '%s' for '%s'", val, key, c.name))
	}
	if key == "memory.limit_in_bytes" {
		n, _ := starutil.ParseSize(val)
		val = strconv.FormatInt(n&^4095, 10)
	}
	if ct.Cgroup == nil {
		ct.Cgroup = map[string]string{}
	}
	ct.Cgroup[key] = val
	return sim.OK("")
}

// settable is what the v1 memory controller takes: a size no smaller than
// the container already uses (the 100000-byte limit was refused, recorded).
func settable(v string) bool {
	n, err := starutil.ParseSize(v)
	return err == nil && n >= 4<<20
}
