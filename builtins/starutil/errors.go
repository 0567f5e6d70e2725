package starutil

import (
	"errors"
	"strings"

	"go.starlark.net/starlark"
)

// Error is a builtin's failure, named once by the registry: a builtin
// returns its bare message ("volume group \"vg0\" not found") and the
// wrapper installed by Module.Value makes it "lvm.lvcreate: volume group
// ...". errors.Is and errors.As see the cause.
type Error struct {
	Builtin string // qualified name: "lvm.lvcreate"
	Err     error
}

func (e *Error) Error() string { return e.Builtin + ": " + e.Msg() }

func (e *Error) Unwrap() error { return e.Err }

// Msg is the message without the builtin's name, for the backtrace's
// "Error in lvm.lvcreate: ..." line.
func (e *Error) Msg() string {
	var ue *unpackError
	if errors.As(e.Err, &ue) && ue.name == e.Builtin {
		return ue.msg
	}
	return e.Err.Error()
}

// unpackError is an argument error from Unpack: Starlark's unpackers put
// the builtin's name in front themselves, so it is kept apart.
type unpackError struct{ name, msg string }

func (e *unpackError) Error() string { return e.name + ": " + e.msg }

// Unpack is starlark.UnpackArgs for registered builtins: the error is
// named once, like every other error of the builtin.
func Unpack(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, pairs ...any) error {
	return unpacked(b.Name(), starlark.UnpackArgs(b.Name(), args, kwargs, pairs...))
}

// UnpackPositional is starlark.UnpackPositionalArgs for registered builtins.
func UnpackPositional(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, min int, vars ...any) error {
	return unpacked(b.Name(), starlark.UnpackPositionalArgs(b.Name(), args, kwargs, min, vars...))
}

func unpacked(name string, err error) error {
	if err == nil {
		return nil
	}
	// Starlark formats these as name + ": " + message.
	return &unpackError{name: name, msg: strings.TrimPrefix(err.Error(), name+": ")}
}

// NewBuiltin makes a builtin whose errors are named once (see Error): the
// registry uses it for every module member, and values use it for their
// methods (a CloudStack client's cs.list).
func NewBuiltin(name string, impl Impl) *starlark.Builtin {
	return starlark.NewBuiltin(name, named(name, impl))
}

// named wraps impl so its errors carry the builtin's name once.
func named(name string, impl Impl) Impl {
	return func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		v, err := impl(th, b, args, kwargs)
		if err == nil {
			return v, nil
		}
		if _, ok := err.(*Error); ok {
			return nil, err // already named: cs.call("createVolume") names the API
		}
		var ue *unpackError
		if errors.As(err, &ue) && ue.name == name {
			return nil, &Error{Builtin: name, Err: err}
		}
		return nil, &Error{Builtin: name, Err: err}
	}
}
