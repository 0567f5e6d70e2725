package sim

import (
	"context"
	"fmt"

	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// sysctl -n KEY... and sysctl -w KEY=VALUE... as procps-ng 4.0.2 answers
// (checked against the real one: an unknown key is "cannot stat
// /proc/sys/...", exit 1 once all were tried; -w echoes "key = value").
// Keys live in the "sysctl" slot; a fresh host has a few of Debian's.

// Sysctl is the kernel's tunables by dotted name.
type Sysctl struct {
	Keys map[string]string `json:"keys"`
	// ReadOnly keys refuse -w as the kernel does (EINVAL or EACCES).
	ReadOnly map[string]bool `json:"read_only,omitempty"`
}

var sysctlSlot = Slot[*Sysctl]{Key: "sysctl", New: func() *Sysctl {
	return &Sysctl{Keys: map[string]string{
		"kernel.ostype":                "Linux",
		"kernel.hostname":              "sim",
		"kernel.pid_max":               "4194304",
		"net.ipv4.ip_forward":          "0",
		"net.ipv4.ip_local_port_range": "32768\t60999",
		"vm.swappiness":                "60",
	}, ReadOnly: map[string]bool{"kernel.ostype": true}}
}}

// SysctlOf returns the host's tunables (tests, fakes of kernels with more
// keys: a Xen DomU's xen.independent_wallclock); the host must be locked.
func SysctlOf(h *Host) *Sysctl { return sysctlSlot.Get(h) }

func registerSysctl(h *Host) {
	sysctlSlot.Declare(h)
	h.Register("sysctl", sysctlCmd)
}

func sysctlCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:])
	_, values := opts["-n"]
	_, write := opts["-w"]
	for k := range opts {
		if k != "-n" && k != "-w" && k != "-q" {
			return Fail(1, fmt.Sprintf("sysctl: the simulated host supports only sysctl [-n] KEY... and sysctl -w KEY=VALUE..., not %s\n", k))
		}
	}
	if len(ops) == 0 {
		return Fail(1, "sysctl: the simulated host does not list all keys: name them\n")
	}
	s := SysctlOf(h)
	var out, errs strings.Builder
	code := 0
	for _, op := range ops {
		key, val, assign := strings.Cut(op, "=")
		key = strings.ReplaceAll(strings.TrimSpace(key), "/", ".")
		cur, ok := s.Keys[key]
		switch {
		case write && !assign:
			errs.WriteString("sysctl: command line(0): invalid syntax, continuing...\n")
			code = 1
		case !ok:
			fmt.Fprintf(&errs, "sysctl: cannot stat /proc/sys/%s: No such file or directory\n", strings.ReplaceAll(key, ".", "/"))
			code = 1
		case write && s.ReadOnly[key]:
			// procps prints the kernel's refusal and still exits 0.
			fmt.Fprintf(&errs, "sysctl: setting key \"%s\": Invalid argument\n", key)
		case write:
			s.Keys[key] = strings.Join(strings.Fields(val), "\t")
			fmt.Fprintf(&out, "%s = %s\n", key, val)
		case values:
			out.WriteString(cur + "\n")
		default:
			fmt.Fprintf(&out, "%s = %s\n", key, cur)
		}
	}
	return exec.Result{Code: code, Stdout: []byte(out.String()), Stderr: []byte(errs.String())}
}
