package core

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/itchyny/gojq"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func jqFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "jq", Params: "(value, filter, all = False, **vars)", Impl: jq,
			Doc: "Runs a jq filter (gojq, in process) on value, with each keyword var as $name; returns the first output (None if none), or a list of all outputs with all = True."},
	}
}

func jq(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var value starlark.Value
	var filter string
	all := false
	own, vars := splitJQKwargs(kwargs)
	if err := starutil.Unpack(b, args, own, "value", &value, "filter", &filter, "all?", &all); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	names, values, err := jqVars(vars)
	if err != nil {
		return nil, err
	}
	code, err := compileJQ(filter, names)
	if err != nil {
		return nil, err
	}
	input, err := starutil.FromValue(value)
	if err != nil {
		return nil, err
	}
	outs, err := runJQ(e.Context(), code, input, values, all)
	switch {
	case err != nil && e.Context().Err() != nil:
		// Stopped by Ctrl-C, --timeout or the memory watchdog: say which.
		return nil, fmt.Errorf("%w", context.Cause(e.Context()))
	case err != nil:
		return nil, err
	case all:
		return starlark.NewList(outs), nil
	case len(outs) == 0:
		return starlark.None, nil
	}
	return outs[0], nil
}

// splitJQKwargs separates jq's own keywords from the jq variables.
func splitJQKwargs(kwargs []starlark.Tuple) (own, vars []starlark.Tuple) {
	for _, kv := range kwargs {
		switch string(kv[0].(starlark.String)) {
		case "value", "filter", "all":
			own = append(own, kv)
		default:
			vars = append(vars, kv)
		}
	}
	return own, vars
}

// jqVars converts the variables, sorted by name.
func jqVars(vars []starlark.Tuple) (names []string, values []any, err error) {
	sort.Slice(vars, func(i, j int) bool { return vars[i][0].(starlark.String) < vars[j][0].(starlark.String) })
	names = make([]string, len(vars))
	values = make([]any, len(vars))
	for i, kv := range vars {
		names[i] = string(kv[0].(starlark.String))
		if values[i], err = starutil.FromValue(kv[1]); err != nil {
			return nil, nil, fmt.Errorf("$%s: %w", names[i], err)
		}
	}
	return names, values, nil
}

// runJQ collects the outputs: only the first unless all is set.
func runJQ(ctx context.Context, code *gojq.Code, input any, values []any, all bool) ([]starlark.Value, error) {
	var out []starlark.Value
	iter := code.RunWithContext(ctx, input, values...)
	for {
		v, ok := iter.Next()
		if !ok {
			return out, nil
		}
		if err, ok := v.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return out, nil // `halt` ends the outputs without an error, as in jq
			}
			return nil, errors.New(jqErrorText(err))
		}
		sv, err := starutil.ToValue(v)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
		if !all {
			return out, nil
		}
	}
}

// CompileJQ reports whether filter compiles with the given variables
// (names with or without the leading $). `vrun check` calls it on literal
// filters so a typo fails before anything runs.
func CompileJQ(filter string, varNames []string) error {
	_, err := compileJQ(filter, varNames)
	return err
}

func compileJQ(filter string, varNames []string) (*gojq.Code, error) {
	q, err := gojq.Parse(filter)
	if err != nil {
		return nil, fmt.Errorf("invalid filter %q: %w", filter, err)
	}
	vars := make([]string, len(varNames))
	for i, n := range varNames {
		vars[i] = "$" + strings.TrimPrefix(n, "$")
	}
	// The target may be the simulator or a remote host: vrun's own process
	// environment is not the target's, and may hold secrets, so $ENV is empty.
	code, err := gojq.Compile(q, gojq.WithVariables(vars), gojq.WithEnvironLoader(func() []string { return nil }))
	if err != nil {
		return nil, fmt.Errorf("invalid filter %q: %w", filter, err)
	}
	return code, nil
}

// jqErrorText renders a jq run-time error; error("msg") and halt_error
// carry a value, shown as jq would.
func jqErrorText(err error) string {
	var halt *gojq.HaltError
	if errors.As(err, &halt) {
		if s, ok := halt.Value().(string); ok {
			return strings.TrimRight(s, "\n")
		}
	}
	return err.Error()
}
