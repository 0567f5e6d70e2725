package sim

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// systemctl as systemd 252 answers (systemd does not run on this machine:
// is-enabled was checked against the real one, which reads unit files;
// the rest follows systemctl(1) and its exit codes: 3 for is-active's
// "inactive", 5 for a unit not found). A unit exists when a module added
// it (AddService) or its unit file is in /etc/systemd/system or
// /lib/systemd/system.

// AddService makes a unit known, stopped and disabled (a package's unit
// after installation); an existing one is kept.
func (a *Accounts) AddService(unit string) *Service {
	unit = unitName(unit)
	if s, ok := a.Services[unit]; ok {
		return s
	}
	s := &Service{}
	a.Services[unit] = s
	return s
}

// unitName adds ".service" to a bare name, as systemctl does.
func unitName(u string) string {
	if strings.Contains(u, ".") {
		return u
	}
	return u + ".service"
}

// ServiceHook is a module's part in a unit's start, restart or stop: the
// daemon's own checks and effects (sheep joining its cluster). A non-empty
// result fails the job, as a daemon exiting with an error does.
type ServiceHook func(h *Host, verb string) (failed string)

// OnService installs the hook of unit (NAME or NAME.service); the unit is
// then known to systemctl, as its package's unit would be.
func (h *Host) OnService(unit string, fn ServiceHook) {
	if h.hooks == nil {
		h.hooks = map[string]ServiceHook{}
	}
	h.hooks[unitName(unit)] = fn
}

// service finds a unit, making it known when its unit file exists.
func (h *Host) service(unit string) (*Service, bool) {
	if s, ok := h.users.Services[unit]; ok {
		return s, true
	}
	if h.hooks[unit] != nil {
		return h.users.AddService(unit), true
	}
	for _, dir := range []string{"/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"} {
		if _, ok := h.ReadFile(path.Join(dir, unit)); ok {
			return h.users.AddService(unit), true
		}
	}
	return nil, false
}

func systemctl(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	_, ops := Getopt(c.Argv[1:])
	if len(ops) < 2 {
		return Fail(1, "systemctl: the simulated host supports only systemctl start|stop|restart|enable|disable|is-active|is-enabled UNIT...\n")
	}
	verb := ops[0]
	var out, errs strings.Builder
	code := 0
	anyActive, anyEnabled := false, false
	for _, arg := range ops[1:] {
		unit := unitName(arg)
		if strings.ContainsAny(unit, "/\x00") || strings.HasPrefix(unit, ".") {
			return Fail(1, fmt.Sprintf("Failed to %s unit: Unit name %s is not valid.\n", verb, arg))
		}
		s, ok := h.service(unit)
		switch verb {
		case "start", "restart":
			if !ok {
				fmt.Fprintf(&errs, "Failed to %s %s: Unit %s not found.\n", verb, unit, unit)
				code = 5
				continue
			}
			s.Active = true
			if hook := h.hooks[unit]; hook != nil {
				if hook(h, verb) != "" {
					s.Active = false
					fmt.Fprintf(&errs, "Job for %s failed because the control process exited with error code.\nSee \"systemctl status %s\" and \"journalctl -xeu %s\" for details.\n", unit, unit, unit)
					code = 1
				}
			}
		case "stop":
			if !ok {
				fmt.Fprintf(&errs, "Failed to stop %s: Unit %s not loaded.\n", unit, unit)
				code = 5
				continue
			}
			s.Active = false
			if hook := h.hooks[unit]; hook != nil {
				hook(h, verb)
			}
		case "enable", "disable":
			if !ok {
				fmt.Fprintf(&errs, "Failed to %s unit: Unit file %s does not exist.\n", verb, unit)
				code = 1
				continue
			}
			link := "/etc/systemd/system/multi-user.target.wants/" + unit
			switch {
			case verb == "enable" && !s.Enabled:
				fmt.Fprintf(&errs, "Created symlink %s → /lib/systemd/system/%s.\n", link, unit)
			case verb == "disable" && s.Enabled:
				fmt.Fprintf(&errs, "Removed \"%s\".\n", link)
			}
			s.Enabled = verb == "enable"
		case "is-active":
			if ok && s.Active {
				out.WriteString("active\n")
				anyActive = true
			} else {
				out.WriteString("inactive\n")
			}
		case "is-enabled":
			switch {
			case !ok:
				fmt.Fprintf(&errs, "Failed to get unit file state for %s: No such file or directory\n", unit)
			case s.Enabled:
				out.WriteString("enabled\n")
				anyEnabled = true
			default:
				out.WriteString("disabled\n")
			}
		default:
			return Fail(1, fmt.Sprintf("systemctl: the simulated host does not support %q\n", verb))
		}
	}
	switch {
	case verb == "is-active" && !anyActive:
		code = 3
	case verb == "is-enabled" && !anyEnabled:
		code = 1
	}
	return exec.Result{Code: code, Stdout: []byte(out.String()), Stderr: []byte(errs.String())}
}
