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
		return dedupeBuiltinName(strings.TrimRight(ee.Backtrace(), "\n"))
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

// dedupeBuiltinName turns the backtrace's last line "Error in lvm.lvs:
// lvm.lvs: msg" (the builtin name is in both the frame and our message)
// into "Error in lvm.lvs: msg"; fail()'s "Error in fail: fail: msg" into
// "Error: msg".
func dedupeBuiltinName(bt string) string {
	i := strings.LastIndex(bt, "\nError in ")
	if i < 0 {
		return bt
	}
	last := bt[i+len("\nError in "):]
	name, msg, ok := strings.Cut(last, ": ")
	if !ok {
		return bt
	}
	msg = strings.TrimPrefix(msg, name+": ")
	if name == "fail" {
		return bt[:i] + "\nError: " + msg
	}
	return bt[:i] + "\nError in " + name + ": " + msg
}
