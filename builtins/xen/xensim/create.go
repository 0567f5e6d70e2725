package xensim

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

var quoted = regexp.MustCompile(`'([^']*)'|"([^"]*)"`)

// parseCfg reads the xl.cfg subset vrun writes: key = 'string' | number |
// [ 'a', 'b' ], # comments.
func parseCfg(text string) (map[string]any, error) {
	out := map[string]any{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("config parsing error near line %d: syntax error", n+1)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(v, "["):
			var items []string
			for _, m := range quoted.FindAllStringSubmatch(v, -1) {
				items = append(items, m[1]+m[2])
			}
			out[k] = items
		case strings.HasPrefix(v, "'") || strings.HasPrefix(v, `"`):
			out[k] = strings.Trim(v, `'"`)
		default:
			i, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("config parsing error near line %d: syntax error", n+1)
			}
			out[k] = i
		}
	}
	return out, nil
}

// createErr is why a create failed; xl and xm word it differently.
type createErr struct {
	kind string // "read", "parse", "name", "exists", "disk", "bridge"
	arg  string // path, parse error, name, disk path or bridge
	vdev string
	id   int
}

// xlText is libxl's wording.
func (c *createErr) xlText() string {
	switch c.kind {
	case "read":
		return fmt.Sprintf("Failed to read config file: %s: No such file or directory\n", c.arg)
	case "parse":
		return fmt.Sprintf("Failed to parse config: %s\n", c.arg)
	case "exists":
		return fmt.Sprintf("libxl: error: libxl_create.c:698:libxl__domain_make: Domain %s already exists\nlibxl: error: libxl_create.c:1298:initiate_domain_create: cannot make domain: -6\n", c.arg)
	case "disk":
		return fmt.Sprintf("libxl: error: libxl_device.c:390:libxl__device_disk_set_backend: Disk vdev=%s failed to stat: %s: No such file or directory\n", c.vdev, c.arg)
	case "bridge":
		return fmt.Sprintf("libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: /etc/xen/scripts/vif-bridge online [-1] exited with error status 1\nlibxl: error: libxl_device.c:1286:device_hotplug_child_death_cb: script: Could not find bridge device %s\nlibxl: error: libxl_create.c:1857:domcreate_attach_devices: Domain %d:unable to add vif devices\n", c.arg, c.id)
	}
	return "Domain name must be specified.\n"
}

// xmText is xend's wording (xm prints "Error: " and xend's message).
func (c *createErr) xmText() string {
	switch c.kind {
	case "read":
		return fmt.Sprintf("Error: config file %s not found.\n", c.arg)
	case "parse":
		return fmt.Sprintf("Error: invalid config file: %s\n", c.arg)
	case "exists":
		return fmt.Sprintf("Error: Domain '%s' already exists with ID '%d'\n", c.arg, c.id)
	case "disk":
		return fmt.Sprintf("Error: Disk image does not exist: %s\n", c.arg)
	case "bridge":
		return fmt.Sprintf("Error: Device 0 (vif) could not be connected. Could not find bridge device %s\n", c.arg)
	}
	return "Error: VM name must be given (name = ...)\n"
}

// create starts the guest of a config file (xl.cfg and xm's Python
// config share the subset vrun writes).
func create(h *sim.Host, s *State, cfgPath string) (*Dom, *createErr) {
	text, ok := h.ReadFile(cfgPath)
	if !ok {
		return nil, &createErr{kind: "read", arg: cfgPath}
	}
	cfg, err := parseCfg(string(text))
	if err != nil {
		return nil, &createErr{kind: "parse", arg: err.Error()}
	}
	name, _ := cfg["name"].(string)
	mem, _ := cfg["memory"].(int)
	if name == "" || mem == 0 {
		return nil, &createErr{kind: "name"}
	}
	if o, dup := s.find(name); dup {
		return nil, &createErr{kind: "exists", arg: name, id: o.ID}
	}
	d := &Dom{Name: name, MemoryMiB: mem, VCPUs: 1, Type: "pv"}
	if v, ok := cfg["vcpus"].(int); ok {
		d.VCPUs = v
	}
	if t, ok := cfg["type"].(string); ok {
		d.Type = t
	}
	disks, _ := cfg["disk"].([]string)
	for _, spec := range disks {
		k := diskSpec(spec)
		if _, ok := h.ReadFile(k.Path); !ok && !strings.HasPrefix(k.Path, "/dev/") {
			return nil, &createErr{kind: "disk", arg: k.Path, vdev: k.Vdev}
		}
		d.Disks = append(d.Disks, k)
	}
	vifs, _ := cfg["vif"].([]string)
	for _, spec := range vifs {
		br := "xenbr0"
		for _, kv := range strings.Split(spec, ",") {
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok && k == "bridge" {
				br = v
			}
		}
		if !bridgeOK(h, br) {
			return nil, &createErr{kind: "bridge", arg: br, id: s.NextID}
		}
		d.Bridges = append(d.Bridges, br)
	}
	s.add(h, d)
	return d, nil
}

// diskSpec reads "[format:]target,vdev,access" or "file:/path,xvda,w".
func diskSpec(spec string) Disk {
	f := strings.Split(spec, ",")
	target := strings.TrimSpace(f[0])
	k := Disk{Format: "raw", Vdev: "xvda"}
	if i := strings.Index(target, ":"); i >= 0 && !strings.HasPrefix(target, "/") {
		target = target[i+1:]
	}
	for _, kv := range f {
		if key, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
			switch key {
			case "target":
				target = v
			case "vdev":
				k.Vdev = v
			case "format":
				k.Format = v
			}
		}
	}
	if len(f) > 1 && !strings.Contains(f[1], "=") {
		k.Vdev = strings.TrimSpace(f[1])
	}
	k.Path = path.Clean(target)
	return k
}

// virtInstall installs a PV guest from its options (modern or EL5 0.x).
func virtInstall(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	opts, ops := sim.Getopt(c.Argv[1:], "--name", "-n", "--memory", "--ram", "-r", "--vcpus", "--disk", "--file", "-f",
		"--file-size", "-s", "--network", "--bridge", "-b", "--location", "-l", "--graphics")
	if len(ops) > 0 {
		return sim.Fail(2, fmt.Sprintf("virt-install: error: unrecognized arguments: %s\n", strings.Join(ops, " ")))
	}
	get := func(names ...string) string {
		for _, n := range names {
			if v, ok := opts[n]; ok {
				return v
			}
		}
		return ""
	}
	name, ram := get("--name", "-n"), get("--memory", "--ram", "-r")
	disk, size, bridge := get("--file", "-f"), get("--file-size", "-s"), get("--bridge", "-b")
	if d := get("--disk"); d != "" {
		for _, kv := range strings.Split(d, ",") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "path":
				disk = v
			case "size":
				size = v
			}
		}
	}
	if n := get("--network"); strings.HasPrefix(n, "bridge=") {
		bridge = strings.TrimPrefix(strings.Split(n, ",")[0], "bridge=")
	}
	mem, err := strconv.Atoi(ram)
	if name == "" || err != nil || disk == "" || size == "" || get("--location", "-l") == "" {
		return sim.Fail(1, "ERROR    the simulated virt-install needs --name, --memory/--ram, a disk with its size and --location\n")
	}
	s := slot.Get(h)
	if _, dup := s.find(name); dup {
		return sim.Fail(1, fmt.Sprintf("ERROR    Guest name '%s' is already in use.\n", name))
	}
	if !bridgeOK(h, bridge) {
		return sim.Fail(1, fmt.Sprintf("ERROR    Bridge '%s' doesn't exist\n", bridge))
	}
	if !h.IsDir(path.Dir(disk)) {
		return sim.Fail(1, fmt.Sprintf("ERROR    Error: Cannot create storage: %s: directory does not exist\n", path.Dir(disk)))
	}
	if _, ok := h.ReadFile(disk); !ok {
		h.WriteFile(disk, nil, 0o600) // sparse: a real one has the size, here no bytes
	}
	vcpus, _ := strconv.Atoi(get("--vcpus"))
	if vcpus == 0 {
		vcpus = 1
	}
	s.add(h, &Dom{Name: name, Type: "pv", MemoryMiB: mem, VCPUs: vcpus, Disks: []Disk{{Path: disk, Vdev: "xvda", Format: "raw"}}, Bridges: []string{bridge}})
	return sim.OK("\nStarting install...\nCreating domain...\nDomain installation still in progress. You can reconnect to\nthe console to complete the installation process.\n")
}
