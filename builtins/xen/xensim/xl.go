package xensim

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func xl(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	args := c.Argv[1:]
	if len(args) == 0 {
		return sim.Fail(1, "Usage xl [-vfNtT] <subcommand> [args]\n")
	}
	s := slot.Get(h)
	if s.Toolstack != "" && s.Toolstack != "xl" {
		return sim.NotInstalled() // a CentOS 5 dom0 (xend and xm only), or no Xen
	}
	opts, ops := sim.Getopt(args[1:])
	switch args[0] {
	case "list":
		if _, long := opts["-l"]; long {
			return listLong(s)
		}
		return listTable(s)
	case "info":
		return sim.OK(info(s))
	case "create":
		if len(ops) != 1 {
			return sim.Fail(1, "xl: the simulated host supports only xl create CONFIG\n")
		}
		if _, err := create(h, s, ops[0]); err != nil {
			return sim.Fail(1, err.xlText())
		}
		return exec.Result{Stderr: []byte(fmt.Sprintf("Parsing config from %s\n", ops[0]))}
	case "reboot":
		if len(ops) != 1 {
			return sim.Fail(1, "xl: the simulated host supports only xl reboot DOMAIN\n")
		}
		d, ok := s.find(ops[0])
		if !ok {
			return sim.Fail(1, fmt.Sprintf("%s is an invalid domain identifier (rc=-6)\n", ops[0]))
		}
		old := s.reboot(d)
		return exec.Result{Stderr: []byte(fmt.Sprintf("Rebooting domain %d\n", old))}
	case "shutdown", "destroy":
		if len(ops) != 1 {
			return sim.Fail(1, fmt.Sprintf("xl: the simulated host supports only xl %s [-w] DOMAIN\n", args[0]))
		}
		d, ok := s.find(ops[0])
		if !ok {
			return sim.Fail(1, fmt.Sprintf("%s is an invalid domain identifier (rc=-6)\n", ops[0]))
		}
		s.remove(d) // on_poweroff = destroy: an xl guest is gone once down
		if args[0] == "shutdown" {
			return sim.OK(fmt.Sprintf("Shutting down domain %d\n", d.ID))
		}
		return sim.OK("")
	}
	return sim.Fail(1, fmt.Sprintf("xl: the simulated host supports list, info, create, shutdown, reboot and destroy, not %q\n", args[0]))
}

// listTable is xl list: "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f", with
// Domain-0 first; the header holds TABs as xl's does.
func listTable(s *State) exec.Result {
	var b strings.Builder
	b.WriteString("Name                                        ID   Mem VCPUs\tState\tTime(s)\n")
	fmt.Fprintf(&b, "%-40s %5d %5d %5d     %s  %8.1f\n", "Domain-0", 0, 1024, 2, "r-----", 42.0)
	for _, d := range s.Domains {
		fmt.Fprintf(&b, "%-40s %5d %5d %5d     %s  %8.1f\n", d.Name, d.ID, d.MemoryMiB, d.VCPUs, "-b----", 1.5)
	}
	return sim.OK(b.String())
}

type cInfo struct {
	Type string `json:"type"`
	Name string `json:"name"`
	UUID string `json:"uuid"`
}
type bInfo struct {
	MaxVCPUs    int `json:"max_vcpus"`
	MaxMemKB    int `json:"max_memkb"`
	TargetMemKB int `json:"target_memkb"`
}
type diskJSON struct {
	PdevPath  string `json:"pdev_path"`
	Vdev      string `json:"vdev"`
	Format    string `json:"format"`
	Readwrite int    `json:"readwrite"`
}
type nicJSON struct {
	Devid  int    `json:"devid"`
	MAC    string `json:"mac"`
	Bridge string `json:"bridge"`
}
type domJSON struct {
	DomID  int `json:"domid"`
	Config struct {
		CInfo    cInfo      `json:"c_info"`
		BInfo    bInfo      `json:"b_info"`
		Disks    []diskJSON `json:"disks,omitempty"`
		Nics     []nicJSON  `json:"nics,omitempty"`
		OnReboot string     `json:"on_reboot"`
	} `json:"config"`
}

// listLong is xl list -l: the guests' libxl_domain_config as JSON (yajl's
// beautified output, 4 spaces); Domain-0 has no stored config and is left
// out, as xl does.
func listLong(s *State) exec.Result {
	out := []domJSON{}
	for _, d := range s.Domains {
		var j domJSON
		j.DomID = d.ID
		j.Config.CInfo = cInfo{Type: d.Type, Name: d.Name, UUID: d.UUID}
		j.Config.BInfo = bInfo{MaxVCPUs: d.VCPUs, MaxMemKB: d.MemoryMiB * 1024, TargetMemKB: d.MemoryMiB * 1024}
		for _, k := range d.Disks {
			j.Config.Disks = append(j.Config.Disks, diskJSON{PdevPath: k.Path, Vdev: k.Vdev, Format: k.Format, Readwrite: 1})
		}
		for i, br := range d.Bridges {
			j.Config.Nics = append(j.Config.Nics, nicJSON{Devid: i, MAC: fmt.Sprintf("00:16:3e:%02x:%02x:%02x", d.ID, i, len(d.Name)), Bridge: br})
		}
		j.Config.OnReboot = "restart"
		out = append(out, j)
	}
	b, _ := json.MarshalIndent(out, "", "    ")
	return sim.OK(string(b) + "\n")
}

func info(s *State) string {
	used := 1024
	for _, d := range s.Domains {
		used += d.MemoryMiB
	}
	rows := [][2]string{{"host", "xen0"}, {"release", "2.6.18-8.1.4.el5xen"}, {"machine", "i686"}, {"nr_cpus", "2"},
		{"max_cpu_id", "1"}, {"nr_nodes", "1"}, {"cores_per_socket", "2"}, {"threads_per_core", "1"}, {"cpu_mhz", "2400"},
		{"total_memory", "4095"}, {"free_memory", fmt.Sprint(4095 - used)}, {"xen_major", "4"}, {"xen_minor", "17"},
		{"xen_extra", ".2"}, {"xen_version", "4.17.2"}, {"xen_caps", "xen-3.0-x86_32p"}, {"xen_scheduler", "credit2"},
		{"xen_pagesize", "4096"}, {"xen_commandline", "placeholder"}, {"xend_config_format", "4"}}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-23s: %s\n", r[0], r[1])
	}
	return b.String()
}
