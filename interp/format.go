package interp

import (
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Pretty renders a value as Starlark source, indenting dicts, lists and
// structs that do not fit on one line. The recipe result and the REPL use it.
func Pretty(v starlark.Value, width int) string {
	if width <= 0 {
		width = 80
	}
	var b strings.Builder
	pretty(&b, v, "", width)
	return b.String()
}

func pretty(b *strings.Builder, v starlark.Value, indent string, width int) {
	flat := v.String()
	if len(flat)+len(indent) <= width {
		b.WriteString(flat)
		return
	}
	inner := indent + "    "
	switch v := v.(type) {
	case *starlark.Dict:
		b.WriteString("{\n")
		for _, kv := range v.Items() {
			b.WriteString(inner + kv[0].String() + ": ")
			pretty(b, kv[1], inner, width)
			b.WriteString(",\n")
		}
		b.WriteString(indent + "}")
	case *starlark.List, starlark.Tuple:
		open, close := "[", "]"
		if _, ok := v.(starlark.Tuple); ok {
			open, close = "(", ")"
		}
		b.WriteString(open + "\n")
		it := v.(starlark.Iterable).Iterate()
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			b.WriteString(inner)
			pretty(b, x, inner, width)
			b.WriteString(",\n")
		}
		b.WriteString(indent + close)
	case *starlarkstruct.Struct:
		name := v.Constructor().String()
		if s, ok := v.Constructor().(starlark.String); ok {
			name = string(s)
		}
		b.WriteString(name + "(\n")
		for _, name := range v.AttrNames() {
			x, _ := v.Attr(name)
			b.WriteString(inner + name + " = ")
			pretty(b, x, inner, width)
			b.WriteString(",\n")
		}
		b.WriteString(indent + ")")
	default:
		b.WriteString(flat)
	}
}
