package vtest

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/builtins/cloudstack"
	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// faulty is the test's executor: the simulated host, with the command
// failures the test injected (sim.fail_command) answered first.
type faulty struct {
	host  *sim.Host
	mu    sync.Mutex
	fails map[string]exec.Result // by command name
}

func (f *faulty) Unwrap() exec.Executor { return f.host }

func (f *faulty) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	if len(c.Argv) > 0 {
		f.mu.Lock()
		r, ok := f.fails[path.Base(c.Argv[0])]
		f.mu.Unlock()
		if ok {
			f.host.WithLock(func(h *sim.Host) { h.Log = append(h.Log, c) })
			r.Argv = c.Argv
			return r, nil
		}
	}
	return f.host.Run(ctx, c)
}

// simModule is `sim` in test files: the world's logs and fault injection.
func simModule(f *faulty) *starlarkstruct.Module {
	return &starlarkstruct.Module{Name: "sim", Members: starlark.StringDict{
		"log": starutil.NewBuiltin("sim.log", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
				return nil, err
			}
			var cmds []starlark.Value
			f.host.WithLock(func(h *sim.Host) {
				for _, c := range h.Log {
					cmds = append(cmds, starlark.String(exec.QuoteArgv(c.Argv)))
				}
			})
			var reqs []starlark.Value
			e, err := env.From(th)
			if err != nil {
				return nil, err
			}
			srv, err := cloudstack.Simulator(e)
			if err != nil {
				return nil, err
			}
			for _, r := range srv.Requests() {
				reqs = append(reqs, starlark.String(r))
			}
			return starlarkstruct.FromStringDict(starlark.String("log"), starlark.StringDict{
				"commands": starlark.NewList(cmds),
				"requests": starlark.NewList(reqs),
			}), nil
		}),
		"fault": starutil.NewBuiltin("sim.fault", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var spec string
			if err := starlark.UnpackArgs(b.Name(), args, kwargs, "spec", &spec); err != nil {
				return nil, err
			}
			fault, err := csim.ParseFault(spec)
			if err != nil {
				return nil, err
			}
			e, err := env.From(th)
			if err != nil {
				return nil, err
			}
			srv, err := cloudstack.Simulator(e)
			if err != nil {
				return nil, err
			}
			srv.AddFault(fault)
			return starlark.None, nil
		}),
		"fail_command": starutil.NewBuiltin("sim.fail_command", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var name, stderr, stdout string
			code := 1
			if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "code?", &code, "stderr?", &stderr, "stdout?", &stdout); err != nil {
				return nil, err
			}
			if name == "" || strings.ContainsAny(name, "/\x00") {
				return nil, fmt.Errorf("want a command name such as \"lvcreate\", got %q", name)
			}
			if code < 1 || code > 255 {
				return nil, fmt.Errorf("code %d: want an exit status from 1 to 255", code)
			}
			f.mu.Lock()
			f.fails[name] = exec.Result{Code: code, Stdout: []byte(stdout), Stderr: []byte(stderr)}
			f.mu.Unlock()
			return starlark.None, nil
		}),
	}}
}

// Predeclared are the names test files have beyond a recipe's, for
// `vrun check` (their values answer only under `vrun test`).
func Predeclared() starlark.StringDict {
	return starlark.StringDict{"sim": simModule(&faulty{host: sim.New(), fails: map[string]exec.Result{}})}
}
