package interp

import (
	"fmt"
	"strings"

	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/stdlib"
)

// LibraryDoc documents a library file (@stdlib//name.star or a path read
// by the caller): its docstring and each public function's signature and
// docstring, for `vrun doc` and help().
func LibraryDoc(name string, src []byte) (string, error) {
	if src == nil {
		lib, ok := strings.CutPrefix(name, stdlibPrefix)
		if !ok {
			return "", fmt.Errorf("%s is not in the standard library", name)
		}
		var err error
		if src, err = stdlib.FS.ReadFile(lib); err != nil {
			return "", fmt.Errorf("no %s in the standard library (have: %s)", name, stdlibNames())
		}
	}
	f, err := FileOptions().Parse(name, src, 0)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", name)
	if d := docstring(f.Stmts); d != "" {
		fmt.Fprintf(&b, "\n%s\n", d)
	}
	writeFunctions(&b, f, src, "")
	return b.String(), nil
}

// RecipeFunctionsDoc documents a recipe's public functions other than
// main (whose parameters are the recipe's flags, in its usage): those a
// teammate may load from it. It is "" when there are none.
func RecipeFunctionsDoc(name string, src []byte) (string, error) {
	f, err := FileOptions().Parse(name, src, 0)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if writeFunctions(&b, f, src, "main") == 0 {
		return "", nil
	}
	return "\nfunctions:\n" + b.String(), nil
}

// writeFunctions writes each public top-level def but skip with its
// parameters as written and its docstring, and returns how many.
func writeFunctions(b *strings.Builder, f *syntax.File, src []byte, skip string) int {
	n := 0
	for _, stmt := range f.Stmts {
		def, ok := stmt.(*syntax.DefStmt)
		if !ok || strings.HasPrefix(def.Name.Name, "_") || def.Name.Name == skip {
			continue
		}
		n++
		params := make([]string, len(def.Params))
		for i, p := range def.Params {
			start, end := p.Span()
			params[i] = string(src[offset(src, start):offset(src, end)])
		}
		fmt.Fprintf(b, "\n%s(%s)\n", def.Name.Name, strings.Join(params, ", "))
		if d := docstring(def.Body); d != "" {
			for _, line := range strings.Split(d, "\n") {
				fmt.Fprintln(b, strings.TrimRight("    "+line, " "))
			}
		}
	}
	return n
}

// offset converts a line:col position to a byte offset in src.
func offset(src []byte, pos syntax.Position) int {
	line, i := int32(1), 0
	for i < len(src) && line < pos.Line {
		if src[i] == '\n' {
			line++
		}
		i++
	}
	return min(i+int(pos.Col)-1, len(src))
}
