package interp

import (
	"context"
	"errors"
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins/env"
)

// StaticError wraps parse and name-resolution errors: exit code 2, nothing
// ran.
type StaticError struct{ Err error }

func (e *StaticError) Error() string { return e.Err.Error() }
func (e *StaticError) Unwrap() error { return e.Err }

// RunRecipe runs a recipe: flags are checked against main's parameters
// first, then the top level runs, then main is called with the flags.
// It returns main's result (None without main).
func (in *Interp) RunRecipe(path string, args []string) (starlark.Value, error) {
	src, err := in.ReadFile(path)
	if err != nil {
		if env.IsTooLarge(err) || in.Env.Context().Err() != nil {
			return nil, fmt.Errorf("cannot read recipe %s: %w", path, err)
		}
		return nil, &UsageError{Msg: fmt.Sprintf("cannot read recipe %s: %v", path, unwrapPath(err))}
	}
	recipe, err := ReadRecipe(in.Env.Context(), path, src)
	if err != nil {
		if in.Env.Context().Err() != nil {
			return nil, err
		}
		return nil, &StaticError{Err: err}
	}
	kwargs, err := recipe.ParseArgs(args)
	if err != nil {
		return nil, err
	}
	th := in.Thread(path)
	globals, err := in.ExecFile(th, path, src)
	if err != nil {
		if isStatic(err) {
			return nil, &StaticError{Err: err}
		}
		return nil, err
	}
	main, ok := globals["main"]
	if !ok {
		return starlark.None, nil
	}
	if _, ok := main.(starlark.Callable); !ok {
		return nil, fmt.Errorf("%s: main: got %s, want a function", path, main.Type())
	}
	return starlark.Call(th, main, nil, kwargs)
}

func isStatic(err error) bool {
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		return false // a load() that failed at run time
	}
	var se syntax.Error
	return errors.As(err, &se) || isResolveList(err)
}

// ExitCode maps an error from a run to vrun's exit codes.
func ExitCode(ctx context.Context, err error) int {
	var ue *UsageError
	var se *StaticError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue), errors.As(err, &se):
		return 2
	case ctx != nil && errors.Is(context.Cause(ctx), ErrInterrupted):
		return 130
	case ctx != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return 3
	}
	return 1
}

// ErrInterrupted is the cancel cause of a run stopped by Ctrl-C.
var ErrInterrupted = errors.New("interrupted")
