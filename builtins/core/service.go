package core

import (
	"fmt"
	"regexp"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// service starts and enables daemons with what the target has: systemctl
// when systemd runs it (/run/systemd/system), else the SysV script in
// /etc/init.d with chkconfig (RHEL, CentOS 5) or update-rc.d (Debian).
func serviceModule() *starutil.Module {
	return &starutil.Module{Name: "service", Doc: "daemons on the target (systemctl, or /etc/init.d with chkconfig/update-rc.d)", Funcs: []starutil.Func{
		{Name: "status", Params: "(name)", Impl: serviceStatus,
			Doc: "Returns status(name, active, enabled, manager): manager is \"systemd\" or \"sysv\"; a service the target does not know fails."},
		{Name: "start", Params: "(name)", Impl: serviceStart,
			Doc: "Starts the service unless it runs (systemctl start, or /etc/init.d/NAME start); returns whether it started it."},
		{Name: "enable", Params: "(name)", Impl: serviceEnable,
			Doc: "Makes the service start at boot unless it does (systemctl enable, chkconfig NAME on, or update-rc.d NAME defaults); returns whether it changed."},
	}}
}

var serviceName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.@:-]*$`)

type services struct {
	e    *env.Env
	th   *starlark.Thread
	name string
	sysv bool
}

func newServices(th *starlark.Thread, name string) (*services, error) {
	if err := starutil.Operand(name, "a service name"); err != nil {
		return nil, err
	}
	if !serviceName.MatchString(name) {
		return nil, fmt.Errorf("got %q, want a service name such as httpd or crond.service", name)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	s := &services{e: e, th: th, name: name}
	booted, err := kindOf(th, "/run/systemd/system")
	if err != nil {
		return nil, err
	}
	if booted != "dir" {
		script, err := kindOf(th, s.script())
		if err != nil {
			return nil, err
		}
		s.sysv = script == "file"
	}
	return s, nil
}

func (s *services) script() string { return "/etc/init.d/" + strings.TrimSuffix(s.name, ".service") }

func (s *services) manager() string {
	if s.sysv {
		return "sysv"
	}
	return "systemd"
}

// active: systemctl is-active (0 active, 3 not), or the LSB status
// action (0 running, 1-3 not running, 4 unknown).
func (s *services) active() (bool, error) {
	if s.sysv {
		res, err := tool.Tool{Name: s.script()}.Read(s.e, "status")
		if err == nil {
			return true, nil
		}
		if res.Code >= 1 && res.Code <= 3 {
			return false, nil
		}
		return false, cause(s.e, err)
	}
	res, err := tool.Tool{Name: "systemctl"}.Read(s.e, "is-active", "--", s.name)
	if err == nil {
		return true, nil
	}
	if res.Code == 3 {
		return false, nil
	}
	return false, cause(s.e, err)
}

// enabled: systemctl is-enabled, chkconfig NAME (exit 0 when on in the
// current runlevel), or a start link in /etc/rc2.d (Debian).
func (s *services) enabled() (bool, error) {
	if !s.sysv {
		res, err := tool.Tool{Name: "systemctl", Explain: firstLine}.Read(s.e, "is-enabled", "--", s.name)
		if err == nil {
			return true, nil
		}
		if res.Code == 1 && len(res.Stderr) == 0 {
			return false, nil // disabled, static, masked...
		}
		return false, cause(s.e, err)
	}
	if s.chkconfig() {
		res, err := tool.Tool{Name: "chkconfig"}.Read(s.e, s.name)
		return err == nil, nilIfExit(s.e, res.Code, err)
	}
	res, err := tool.Tool{Name: "ls"}.Read(s.e, "/etc/rc2.d")
	if err != nil {
		return false, cause(s.e, err)
	}
	re := regexp.MustCompile(`(?m)^S[0-9]*` + regexp.QuoteMeta(s.name) + `$`)
	return re.Match(res.Stdout), nil
}

// nilIfExit keeps "could not run" errors and drops a plain non-zero exit.
func nilIfExit(e *env.Env, code int, err error) error {
	if err != nil && code == 0 {
		return cause(e, err)
	}
	return nil
}

func (s *services) chkconfig() bool {
	for _, p := range []string{"/sbin/chkconfig", "/usr/sbin/chkconfig"} {
		if k, err := kindOf(s.th, p); err == nil && k == "file" {
			return true
		}
	}
	return false
}

func unpackService(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (*services, error) {
	var name string
	if err := starutil.Unpack(b, args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	return newServices(th, name)
}

func serviceStatus(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, err := unpackService(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	en, err := s.enabled()
	if err != nil {
		return nil, err
	}
	act, err := s.active()
	if err != nil {
		return nil, err
	}
	return starutil.Struct("status", starlark.StringDict{
		"name": starlark.String(s.name), "active": starlark.Bool(act), "enabled": starlark.Bool(en), "manager": starlark.String(s.manager()),
	}), nil
}

func serviceStart(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, err := unpackService(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	act, err := s.active()
	if err != nil || act {
		return starlark.False, err
	}
	t, argv := tool.Tool{Name: "systemctl", Explain: firstLine}, []string{"start", "--", s.name}
	if s.sysv {
		t, argv = tool.Tool{Name: s.script(), Explain: firstLine}, []string{"start"}
	}
	if _, err := t.Change(s.e, argv...); err != nil {
		return nil, cause(s.e, err)
	}
	return starlark.True, nil
}

func serviceEnable(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, err := unpackService(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	en, err := s.enabled()
	if err != nil || en {
		return starlark.False, err
	}
	t, argv := tool.Tool{Name: "systemctl", Explain: firstLine}, []string{"enable", "--", s.name}
	switch {
	case s.sysv && s.chkconfig():
		t, argv = tool.Tool{Name: "chkconfig", Explain: firstLine}, []string{s.name, "on"}
	case s.sysv:
		t, argv = tool.Tool{Name: "update-rc.d", Explain: firstLine}, []string{s.name, "defaults"}
	}
	if _, err := t.Change(s.e, argv...); err != nil {
		return nil, cause(s.e, err)
	}
	return starlark.True, nil
}
