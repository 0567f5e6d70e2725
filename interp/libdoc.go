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
	for _, stmt := range f.Stmts {
		def, ok := stmt.(*syntax.DefStmt)
		if !ok || strings.HasPrefix(def.Name.Name, "_") {
			continue
		}
		params := make([]string, len(def.Params))
		for i, p := range def.Params {
			start, end := p.Span()
			params[i] = string(src[offset(src, start):offset(src, end)])
		}
		fmt.Fprintf(&b, "\n%s(%s)\n", def.Name.Name, strings.Join(params, ", "))
		if d := docstring(def.Body); d != "" {
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(d, "\n", "\n    "))
		}
	}
	return b.String(), nil
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
