package core

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func catchFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "catch", Params: "(fn, *args, **kwargs)", Positional: 1, Impl: catch,
			Doc: "Calls fn(*args, **kwargs) and returns caught(value, error): error is the failure message (None on success, no \"fail: \" prefix), for cleanup and retries."},
	}
}

// catch is Starlark's missing try/except. It never swallows the end of the
// run: once Ctrl-C or --timeout cancelled the context, the error goes on.
func catch(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("missing function (want catch(fn, *args, **kwargs))")
	}
	fn, ok := args[0].(starlark.Callable)
	if !ok {
		return nil, fmt.Errorf("got %s, want callable", args[0].Type())
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	v, err := starlark.Call(th, fn, args[1:], kwargs)
	if err != nil {
		if e.Context().Err() != nil {
			return nil, err
		}
		return caught(starlark.None, starlark.String(message(err))), nil
	}
	return caught(v, starlark.None), nil
}

func caught(value, msg starlark.Value) starlark.Value {
	return starutil.Struct("caught", starlark.StringDict{"value": value, "error": msg})
}

// message is the error's text without the Starlark backtrace, and without
// the "fail: " that fail() adds, so a recipe can pass it on to fail() again.
func message(err error) string {
	msg := err.Error()
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		msg = ee.Msg
	}
	return strings.TrimPrefix(msg, "fail: ")
}
