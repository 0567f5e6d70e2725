package interp

import (
	"fmt"
	"regexp"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// AssertModule is `assert`, predeclared in recipes, the REPL and `vrun
// test`: a failed assertion is an error at the caller's line, which stops
// the recipe (or the test function) there.
func AssertModule() *starlarkstruct.Module {
	b := func(name string, impl starutil.Impl) *starlark.Builtin {
		return starutil.NewBuiltin("assert."+name, impl)
	}
	return &starlarkstruct.Module{Name: "assert", Members: starlark.StringDict{
		"eq":       b("eq", assertCompare(syntax.EQL, "got %s, want %s")),
		"ne":       b("ne", assertCompare(syntax.NEQ, "got %s, want anything else")),
		"true":     b("true", assertTrue),
		"contains": b("contains", assertContains),
		"fails":    b("fails", assertFails),
	}}
}

func message(msg starlark.Value, text string) error {
	if s, ok := msg.(starlark.String); ok && s != "" {
		return fmt.Errorf("%s: %s", string(s), text)
	}
	return fmt.Errorf("%s", text)
}

func assertCompare(op syntax.Token, format string) starutil.Impl {
	return func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var got, want starlark.Value
		var msg starlark.Value = starlark.None
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "got", &got, "want", &want, "msg?", &msg); err != nil {
			return nil, err
		}
		ok, err := starlark.Compare(op, got, want)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, message(msg, fmt.Sprintf(format, got.String(), want.String()))
		}
		return starlark.None, nil
	}
}

func assertTrue(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cond starlark.Value
	var msg starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cond", &cond, "msg?", &msg); err != nil {
		return nil, err
	}
	if !cond.Truth() {
		return nil, message(msg, fmt.Sprintf("got %s, want a true value", cond.String()))
	}
	return starlark.None, nil
}

func assertContains(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var container, x starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "container", &container, "x", &x); err != nil {
		return nil, err
	}
	in, err := starlark.Binary(syntax.IN, x, container)
	if err != nil {
		return nil, err
	}
	if !in.Truth() {
		return nil, fmt.Errorf("%s does not contain %s", container.String(), x.String())
	}
	return starlark.None, nil
}

// assertFails calls fn and wants it to fail with a message matching
// pattern (a regular expression); it returns the message.
func assertFails(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	var pattern string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "fn", &fn, "pattern", &pattern); err != nil {
		return nil, err
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %v", pattern, err)
	}
	_, err = starlark.Call(th, fn, nil, nil)
	if err == nil {
		return nil, fmt.Errorf("%s did not fail (want an error matching %q)", fn.Name(), pattern)
	}
	if e, eerr := env.From(th); eerr == nil && e.Context().Err() != nil {
		return nil, err // a timeout or Ctrl-C is not the failure tested for
	}
	text := err.Error()
	if ee, ok := err.(*starlark.EvalError); ok {
		text = ee.Msg
	}
	if !re.MatchString(text) {
		return nil, fmt.Errorf("%s failed with %q, want a match for %q", fn.Name(), text, pattern)
	}
	return starlark.String(text), nil
}
