package xen

import (
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// xm (xend's client, Xen <= 4.4, CentOS 5) prints "Error: ..." lines.
var xm = tool.Tool{Name: "xm", Explain: func(r exec.Result) string { return strings.TrimSpace(exec.Tail(r.Stderr, 3)) }}

// Toolstack picks xl when the target's `xl info` answers, else xm when
// `xm info` does (a host where only xend exists), once per target.
func Toolstack(e *env.Env) (tool.Tool, error) {
	v, err := e.Cache("xen.toolstack", func() (any, error) {
		var why []string
		for _, t := range []tool.Tool{xl, xm} {
			r, err := t.Read(e, "info")
			if err == nil {
				return t, nil
			}
			why = append(why, fmt.Sprintf("%s info: %s", t.Name, firstLine(err.Error())))
			_ = r
		}
		return nil, fmt.Errorf("neither xl nor xm answers on the target (is this a Xen dom0, and is xend running for xm?): %s", strings.Join(why, "; "))
	})
	if err != nil {
		return tool.Tool{}, err
	}
	return v.(tool.Tool), nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// Info is `xl info` or `xm info`. xm (Xen 3) prints no xen_version: it is
// made from xen_major, xen_minor and xen_extra as xl prints it.
func Info(e *env.Env) (map[string]any, error) {
	t, err := Toolstack(e)
	if err != nil {
		return nil, err
	}
	r, err := t.Read(e, "info")
	if err != nil {
		return nil, err
	}
	return ParseInfo(r.Stdout)
}

// Control runs a guest command (shutdown, reboot, destroy) on the
// target's toolstack; d has passed checkDomain.
func Control(e *env.Env, verb, d string, flags ...string) error {
	t, err := Toolstack(e)
	if err != nil {
		return err
	}
	if _, ok, err := find(e, d); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("%s %s: no such guest in %s's list", verb, d, t.Name)
	}
	argv := append(append([]string{verb}, flags...), "--", d)
	_, err = t.Change(e, argv...)
	return err
}

// ConsoleCommand is what an operator types to reach a guest's console:
// vrun does not proxy consoles.
func ConsoleCommand(e *env.Env, d string) (string, error) {
	t, err := Toolstack(e)
	if err != nil {
		return "", err
	}
	if _, ok, err := find(e, d); err != nil {
		return "", err
	} else if !ok {
		return "", fmt.Errorf("console of %s: no such guest in %s's list", d, t.Name)
	}
	if !nameRe.MatchString(d) {
		return "", fmt.Errorf("%q cannot be typed safely on a shell line", d)
	}
	return t.Name + " console " + d, nil
}
