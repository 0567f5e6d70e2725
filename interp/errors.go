package interp

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

func isResolveList(err error) bool {
	var el resolve.ErrorList
	return errors.As(err, &el)
}

// Render formats an error for the operator: a Starlark backtrace with
// file:line:col for run-time errors, one file:line:col: line per static
// problem, the message alone otherwise.
func Render(err error) string {
	var ee *starlark.EvalError
	var el resolve.ErrorList
	var se syntax.Error
	switch {
	case errors.As(err, &ee):
		return strings.TrimRight(ee.Backtrace(), "\n")
	case errors.As(err, &el):
		lines := make([]string, len(el))
		for i, e := range el {
			lines[i] = fmt.Sprintf("%s: %s", e.Pos, e.Msg)
		}
		return strings.Join(lines, "\n")
	case errors.As(err, &se):
		return fmt.Sprintf("%s: %s", se.Pos, se.Msg)
	}
	return err.Error()
}
