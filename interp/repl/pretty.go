package repl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

const (
	prettyWidth = 100  // a value whose repr fits stays on one line
	maxLines    = 60   // longer results are cut to headLines
	headLines   = 40   //
	maxLineLen  = 4000 // a longer line (a huge string) is cut too
)

// Pretty formats v for the terminal: its repr when short, else containers
// broken one element per line with indentation.
func Pretty(v starlark.Value) string {
	var b strings.Builder
	pretty(&b, v, 0)
	return b.String()
}

func pretty(b *strings.Builder, v starlark.Value, indent int) {
	s := v.String() // strings come quoted, like in Python's REPL
	if indent+len(s) <= prettyWidth {
		b.WriteString(s)
		return
	}
	pad := strings.Repeat("    ", indent/4+1)
	end := strings.Repeat("    ", indent/4)
	switch x := v.(type) {
	case *starlark.Dict:
		b.WriteString("{\n")
		for _, kv := range x.Items() {
			b.WriteString(pad + kv[0].String() + ": ")
			pretty(b, kv[1], len(pad))
			b.WriteString(",\n")
		}
		b.WriteString(end + "}")
	case *starlark.List:
		seq(b, "[", "]", x, pad, end)
	case starlark.Tuple:
		seq(b, "(", ")", x, pad, end)
	case *starlarkstruct.Struct:
		name := x.Constructor().String()
		if c, ok := x.Constructor().(starlark.String); ok {
			name = c.GoString() // unquoted, as Struct.String shows it
		}
		b.WriteString(name + "(\n")
		for _, name := range x.AttrNames() {
			f, _ := x.Attr(name)
			b.WriteString(pad + name + " = ")
			pretty(b, f, len(pad))
			b.WriteString(",\n")
		}
		b.WriteString(end + ")")
	default:
		b.WriteString(s)
	}
}

func seq(b *strings.Builder, open, close string, x starlark.Indexable, pad, end string) {
	b.WriteString(open + "\n")
	for i := 0; i < x.Len(); i++ {
		b.WriteString(pad)
		pretty(b, x.Index(i), len(pad))
		b.WriteString(",\n")
	}
	b.WriteString(end + close)
}

// Abbreviate cuts a long rendering to its head and says how to see it all.
// The note is empty when nothing was cut.
func Abbreviate(text string) (string, string) {
	lines := strings.Split(text, "\n")
	cut := false
	for i, l := range lines {
		if len(l) > maxLineLen {
			n := maxLineLen
			for n > 0 && !utf8.RuneStart(l[n]) {
				n--
			}
			lines[i] = l[:n] + " …"
			cut = true
		}
	}
	more := 0
	if len(lines) > maxLines {
		more = len(lines) - headLines
		lines = lines[:headLines]
		cut = true
	}
	if !cut {
		return text, ""
	}
	note := "(abbreviated"
	if more > 0 {
		note += fmt.Sprintf(": %d more lines", more)
	}
	return strings.Join(lines, "\n"), note + "; the value is in _: :full shows it all, print(_) prints it as text)"
}
