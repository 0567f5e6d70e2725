package core

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"syscall"
	"time"

	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func runFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "run", Params: "(*argv, stdin = None, env = {}, check = True, timeout = None, max_output = None, cwd = None, user = None)", Impl: run,
			Doc: "Runs argv (strings, ints, or lists of them; never a shell string) on the target, in cwd and as user (runuser -u) when given; returns result(rc, stdout, stderr, argv, duration, ok, timed_out), failing on rc != 0 unless check = False. Output past max_output (a size; default VRUN_MAX_OUTPUT or 256M) stops the command with an error."},
		{Name: "sh", Params: "(script, stdin = None, env = {}, check = True, timeout = None, max_output = None, cwd = None, user = None)", Impl: sh,
			Doc: "Runs script with /bin/sh -c on the target; the same result and checks as run. The simulated host (--sim) has no shell: use run() for steps to rehearse."},
	}
}

// cmdOptions are the keyword arguments run and sh share.
type cmdOptions struct {
	stdin   starlark.Value
	env     starutil.StringMap
	check   bool
	timeout starutil.Duration // 0: no limit
	max     starutil.Size     // 0: the run's limit
	cwd     string            // "": the target's default
	user    string            // "": the executor's user
}

// unpack reads the shared parameters after the leading ones in extra
// (sh's script); run passes no args since its positionals are argv.
func (o *cmdOptions) unpack(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, extra ...any) error {
	o.check = true
	pairs := append(extra, "stdin?", &o.stdin, "env?", &o.env, "check?", &o.check, "timeout??", &o.timeout, "max_output??", &o.max, "cwd??", &o.cwd, "user??", &o.user)
	return starutil.Unpack(b, args, kwargs, pairs...)
}

func run(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var o cmdOptions
	if err := o.unpack(b, nil, kwargs); err != nil {
		return nil, err
	}
	argv, err := argvOf(args)
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("missing command (want run(\"prog\", \"arg\", ...))")
	}
	return runCmd(th, argv, &o)
}

func sh(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var o cmdOptions
	var script string
	if err := o.unpack(b, args, kwargs, "script", &script); err != nil {
		return nil, err
	}
	return runCmd(th, []string{"/bin/sh", "-c", script}, &o)
}

// argvOf converts run's positional arguments: strings and ints, and lists
// or tuples of them spliced in place (run("ls", opts)).
func argvOf(args starlark.Tuple) ([]string, error) {
	var argv []string
	var add func(v starlark.Value, nested bool) error
	add = func(v starlark.Value, nested bool) error {
		switch v := v.(type) {
		case starlark.String:
			argv = append(argv, string(v))
		case starlark.Int:
			argv = append(argv, v.String())
		case *starlark.List, starlark.Tuple:
			if nested {
				return fmt.Errorf("argv item: got nested %s, want string or int", v.Type())
			}
			it := v.(starlark.Iterable).Iterate()
			defer it.Done()
			var x starlark.Value
			for it.Next(&x) {
				if err := add(x, true); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("argv item %s: got %s, want string or int", v, v.Type())
		}
		return nil
	}
	for _, a := range args {
		if err := add(a, false); err != nil {
			return nil, err
		}
	}
	return argv, nil
}

// cmd builds the command; arbitrary commands may change anything, so they
// count as mutations.
func (o *cmdOptions) cmd(argv []string) (exec.Cmd, error) {
	if o.user != "" {
		if err := starutil.Operand(o.user, "a user name"); err != nil {
			return exec.Cmd{}, fmt.Errorf("user: %w", err)
		}
		// runuser (util-linux) takes argv as is: no shell in between.
		argv = append([]string{"runuser", "-u", o.user, "--"}, argv...)
	}
	if o.cwd != "" && !strings.HasPrefix(o.cwd, "/") {
		return exec.Cmd{}, fmt.Errorf("cwd: got %q, want an absolute path (the target's working directory is not the recipe's)", o.cwd)
	}
	c := exec.Cmd{Argv: argv, Dir: o.cwd, Mutate: true, Timeout: time.Duration(o.timeout), MaxOutput: int64(o.max)}
	switch s := o.stdin.(type) {
	case nil, starlark.NoneType:
	case starlark.String:
		c.Stdin = []byte(s)
	case starlark.Bytes:
		c.Stdin = []byte(s)
	default:
		return c, fmt.Errorf("stdin: got %s, want string", o.stdin.Type())
	}
	for _, k := range sortedKeys(o.env) {
		c.Env = append(c.Env, k+"="+o.env[k])
	}
	return c, nil
}

// runCmd runs argv through the run's executor and builds the result value.
func runCmd(th *starlark.Thread, argv []string, o *cmdOptions) (starlark.Value, error) {
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	c, err := o.cmd(argv)
	if err != nil {
		return nil, err
	}
	res, err := e.Run(c)
	if err != nil && c.Timeout > 0 && e.Context().Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		// Only the command's own deadline can have passed: a timeout, even
		// when the executor reports it as an error (exec.Local does when the
		// process took a while to start).
		res.TimedOut, res.Code, err = true, -1, nil
	}
	if err != nil {
		if o.cwd != "" && (errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR)) {
			if k, kerr := kindOf(th, o.cwd); kerr == nil && k != "dir" {
				return nil, fmt.Errorf("cwd %s: no such directory on the target", o.cwd)
			}
		}
		return nil, runError(e.Context(), argv, err)
	}
	if res.Argv == nil {
		res.Argv = argv
	}
	if o.check && res.TimedOut {
		// Name the limit the recipe set, not the measured time (2.001s).
		limited := res
		limited.Duration = c.Timeout
		return nil, &exec.ExitError{Result: limited}
	}
	if o.check && res.Code != 0 {
		return nil, &exec.ExitError{Result: res}
	}
	return resultValue(res), nil
}

// runError reports a command that could not run; a cancelled run keeps the
// context's error so the recipe ends with the right exit code.
func runError(ctx context.Context, argv []string, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return fmt.Errorf("%s: %w", exec.QuoteArgv(argv), context.Cause(ctx))
	}
	return err
}

func resultValue(r exec.Result) starlark.Value {
	argv := make([]starlark.Value, len(r.Argv))
	for i, a := range r.Argv {
		argv[i] = starlark.String(a)
	}
	list := starlark.NewList(argv)
	list.Freeze()
	return starutil.Struct("result", starlark.StringDict{
		"rc":        starlark.MakeInt(r.Code),
		"stdout":    starlark.String(r.Stdout),
		"stderr":    starlark.String(r.Stderr),
		"argv":      list,
		"duration":  starlarktime.Duration(r.Duration),
		"ok":        starlark.Bool(r.Code == 0 && !r.TimedOut),
		"timed_out": starlark.Bool(r.TimedOut),
	})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
