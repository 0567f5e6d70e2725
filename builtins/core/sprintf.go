package core

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// maxWidth bounds a conversion's width and precision: padding is for
// names and columns, and "%999999999d" must not allocate a gigabyte.
const maxWidth = 1024

func sprintfFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "sprintf", Params: "(format, *args)", Positional: 1, Impl: sprintf,
			Doc: "Returns format with each %-conversion replaced by the next argument, as C's printf: " +
				"flags - + space 0 #, a width and a .precision (at most 1024), and the verbs " +
				"d i (int), o x X (int, octal and hex), f F e E g G (int or float), s (str; others as str()), r (repr) and %%. " +
				"Starlark's own % has no width or precision: sprintf(\"eth0.%04d\", 7) is \"eth0.0007\", sprintf(\"%.2f\", 9.567) is \"9.57\"."},
	}
}

func sprintf(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, fmt.Errorf("unexpected keyword argument %s: the arguments are positional", kwargs[0][0])
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("missing argument format")
	}
	format, ok := starlark.AsString(args[0])
	if !ok {
		return nil, fmt.Errorf("format: got %s, want a string", args[0].Type())
	}
	out, err := Sprintf(format, args[1:])
	if err != nil {
		return nil, err
	}
	return starlark.String(out), nil
}

// Sprintf formats args by format (see the sprintf builtin's doc). Every
// conversion is checked before Go's fmt runs it: Go would print
// "%!d(string=x)" where an operator wants an error.
func Sprintf(format string, args starlark.Tuple) (string, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		start := i
		i++
		for i < len(format) && strings.IndexByte("-+ 0#", format[i]) >= 0 {
			i++
		}
		_, j, err := number(format, i, "width") // checked, then left to Go's fmt
		if err != nil {
			return "", err
		}
		i = j
		if i < len(format) && format[i] == '.' {
			if _, j, err = number(format, i+1, "precision"); err != nil {
				return "", err
			}
			i = j
		}
		if i >= len(format) {
			return "", fmt.Errorf("format %q ends in the middle of the conversion %q", short(format), short(format[start:]))
		}
		spec, verb := format[start:i+1], format[i]
		if verb == '%' {
			if spec != "%%" {
				return "", fmt.Errorf("conversion %q: %%%% takes no flags, width or precision", spec)
			}
			b.WriteByte('%')
			continue
		}
		if next >= len(args) {
			return "", fmt.Errorf("not enough arguments: conversion %q has none (format %q, %d given)", spec, short(format), len(args))
		}
		s, err := convert(spec, verb, args[next])
		if err != nil {
			return "", fmt.Errorf("argument %d: %w", next+1, err)
		}
		next++
		b.WriteString(s)
	}
	if next < len(args) {
		return "", fmt.Errorf("too many arguments: format %q has %d conversions, %d given", short(format), next, len(args))
	}
	return b.String(), nil
}

// short clips a format quoted in an error.
func short(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// number reads the digits at format[i:] (none: -1), bounded by maxWidth.
func number(format string, i int, what string) (int, int, error) {
	j := i
	for j < len(format) && format[j] >= '0' && format[j] <= '9' {
		j++
	}
	if j == i {
		return -1, i, nil
	}
	n := 0
	for _, c := range format[i:j] {
		n = n*10 + int(c-'0')
		if n > maxWidth {
			return 0, 0, fmt.Errorf("%s %s is more than %d", what, format[i:j], maxWidth)
		}
	}
	return n, j, nil
}

// convert formats one argument with spec (Go's fmt agrees with C's
// printf for these verbs and flags).
func convert(spec string, verb byte, v starlark.Value) (string, error) {
	switch verb {
	case 'd', 'i', 'o', 'x', 'X':
		n, ok := v.(starlark.Int)
		if !ok {
			return "", fmt.Errorf("conversion %q: got %s %s, want an int", spec, v.Type(), v.String())
		}
		if verb == 'i' {
			spec = spec[:len(spec)-1] + "d"
		}
		return fmt.Sprintf(spec, n.BigInt()), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		var f float64
		switch x := v.(type) {
		case starlark.Float:
			f = float64(x)
		case starlark.Int:
			var exact bool
			if f, exact = bigFloat(x.BigInt()); !exact {
				return "", fmt.Errorf("conversion %q: int %s has no exact float value", spec, x)
			}
		default:
			return "", fmt.Errorf("conversion %q: got %s %s, want a float or an int", spec, v.Type(), v.String())
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return "", fmt.Errorf("conversion %q: got %s, want a finite number", spec, v.String())
		}
		if verb == 'F' {
			spec = spec[:len(spec)-1] + "f"
		}
		return fmt.Sprintf(spec, f), nil
	case 's', 'r':
		s, ok := starlark.AsString(v)
		if verb == 'r' || !ok {
			s = v.String() // repr, as Starlark's own %r and str()
		}
		return fmt.Sprintf(spec[:len(spec)-1]+"s", s), nil
	}
	return "", fmt.Errorf("conversion %q: unknown verb %q (want d i o x X f F e E g G s r or %%%%)", spec, string(verb))
}

// bigFloat is n as a float64, and whether that is exact.
func bigFloat(n *big.Int) (float64, bool) {
	f, acc := new(big.Float).SetInt(n).Float64()
	return f, acc == big.Exact
}
