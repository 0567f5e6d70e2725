package interp

import (
	"strings"

	"go.starlark.net/syntax"
)

// percentFormats reports a literal format with C-style flags, a width or a
// precision ("%04d", "%.2f", "%-8s") used with Starlark's %, which has none
// of them and fails at run time ("unknown conversion %0"): sprintf does it.
func (c *checker) percentFormats(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		bin, ok := n.(*syntax.BinaryExpr)
		if !ok || bin.Op != syntax.PERCENT {
			return true
		}
		lit, ok := bin.X.(*syntax.Literal)
		if !ok || lit.Token != syntax.STRING {
			return true
		}
		if spec := paddedConversion(lit.Value.(string)); spec != "" {
			c.add(lit.TokenPos, "%q in a %% expression: Starlark's %% has no flags, width or precision (it fails with \"unknown conversion\"); use sprintf(%q, ...)", spec, lit.Value.(string))
		}
		return true
	})
}

// paddedConversion returns the first conversion of format that has a
// flag, width or precision, such as "%04d"; "" when there is none.
func paddedConversion(format string) string {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ 0#123456789.", format[j]) >= 0 {
			j++
		}
		if j > i+1 && j < len(format) && strings.IndexByte("diouxXeEfFgGsrc", format[j]) >= 0 {
			return format[i : j+1]
		}
	}
	return ""
}
