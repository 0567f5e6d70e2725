package core

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// user adds accounts with shadow-utils' useradd on the target.
func userModule() *starutil.Module {
	return &starutil.Module{Name: "user", Doc: "user accounts on the target (useradd)", Funcs: []starutil.Func{
		{Name: "add", Params: "(name, comment = None, home = None, shell = None, system = False, create_home = False)", Impl: userAdd,
			Doc: "Adds a user with a group of its name (useradd) unless getent passwd knows it; returns whether it was added."},
	}}
}

func userAdd(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, comment, home, shell string
	var system, createHome bool
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "comment??", &comment, "home??", &home, "shell??", &shell,
		"system?", &system, "create_home?", &createHome); err != nil {
		return nil, err
	}
	if err := starutil.Operand(name, "a user name"); err != nil {
		return nil, err
	}
	for what, v := range map[string]string{"comment": comment, "home": home, "shell": shell} {
		if strings.ContainsAny(v, ":\n\x00") {
			return nil, fmt.Errorf("%s: got %q, want text without ':' or a newline (it goes into /etc/passwd)", what, v)
		}
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	res, err := tool.Tool{Name: "getent"}.Read(e, "passwd", name)
	switch {
	case err == nil:
		return starlark.False, nil
	case res.Code != 2: // 2: not found; anything else is a failed look
		return nil, cause(e, err)
	}
	argv := []string{}
	if system {
		argv = append(argv, "-r")
	}
	if createHome {
		argv = append(argv, "-m")
	} else {
		argv = append(argv, "-M")
	}
	for _, o := range []struct{ flag, v string }{{"-c", comment}, {"-d", home}, {"-s", shell}} {
		if o.v != "" {
			argv = append(argv, o.flag, o.v)
		}
	}
	argv = append(argv, "-U", "--", name)
	if _, err := (tool.Tool{Name: "useradd", Explain: firstLine}).Change(e, argv...); err != nil {
		return nil, cause(e, err)
	}
	return starlark.True, nil
}

// firstLine is a tool's own explanation: its first line on stderr.
func firstLine(r exec.Result) string {
	l, _, _ := strings.Cut(strings.TrimSpace(string(r.Stderr)), "\n")
	return l
}
