package interp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	starlarktime "go.starlark.net/lib/time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Pretty renders a value as Starlark source, indenting dicts, lists and
// structs that do not fit on one line. The recipe result and the REPL use it.
// A list or dict that contains itself shows as [...] or {...}, as in
// Starlark's str(); past the bounds of starutil.Nest the rest is "...".
func Pretty(v starlark.Value, width int) string {
	if width <= 0 {
		width = 80
	}
	p := &printer{width: width}
	p.pretty(v, "")
	return p.b.String()
}

// MaxRender bounds the text of one rendered value (Pretty, JSON): a
// dict that holds another twice, thirty levels deep, is small in memory
// but a billion lines on the screen.
const MaxRender = 64 << 20

type printer struct {
	b     strings.Builder
	width int
	nest  starutil.Nest
	full  bool // the node budget ran out: the rest is "..."
}

// enter reports whether v may be walked into; when not, it wrote what
// stands for v instead.
func (p *printer) enter(v starlark.Value, b *strings.Builder) bool {
	if p.full {
		b.WriteString("...")
		return false
	}
	err := p.nest.Enter(v)
	switch {
	case err == nil:
		return true
	case errors.Is(err, starutil.ErrCycle):
		if _, ok := v.(*starlark.Dict); ok {
			b.WriteString("{...}")
		} else {
			b.WriteString("[...]")
		}
	default:
		p.full = errors.Is(err, starutil.ErrTooLarge)
		b.WriteString("...")
	}
	return false
}

func (p *printer) pretty(v starlark.Value, indent string) {
	if p.full || p.b.Len() > MaxRender {
		if !p.full {
			fmt.Fprintf(&p.b, "... (truncated at %d MiB)", MaxRender>>20)
		} else {
			p.b.WriteString("...")
		}
		p.full = true
		return
	}
	if flat, ok := p.flat(v, p.width-len(indent)); ok {
		p.b.WriteString(flat)
		return
	}
	kind := containerKind(v)
	if kind == "" {
		p.b.WriteString(v.String())
		return
	}
	if !p.enter(v, &p.b) {
		return
	}
	defer p.nest.Leave()
	inner := indent + "    "
	switch v := v.(type) {
	case *starlark.Dict:
		p.b.WriteString("{\n")
		for _, kv := range v.Items() {
			p.b.WriteString(inner + kv[0].String() + ": ")
			p.pretty(kv[1], inner)
			p.b.WriteString(",\n")
		}
		p.b.WriteString(indent + "}")
	case *starlarkstruct.Struct:
		p.b.WriteString(structName(v) + "(\n")
		for _, name := range v.AttrNames() {
			x, _ := v.Attr(name)
			p.b.WriteString(inner + name + " = ")
			p.pretty(x, inner)
			p.b.WriteString(",\n")
		}
		p.b.WriteString(indent + ")")
	default: // list, tuple
		open, close := kind[:1], kind[1:]
		p.b.WriteString(open + "\n")
		it := v.(starlark.Iterable).Iterate()
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			p.b.WriteString(inner)
			p.pretty(x, inner)
			p.b.WriteString(",\n")
		}
		p.b.WriteString(indent + close)
	}
}

func containerKind(v starlark.Value) string {
	switch v.(type) {
	case *starlark.Dict:
		return "{}"
	case *starlark.List:
		return "[]"
	case starlark.Tuple:
		return "()"
	case *starlarkstruct.Struct:
		return "s"
	}
	return ""
}

func structName(v *starlarkstruct.Struct) string {
	if s, ok := v.Constructor().(starlark.String); ok {
		return string(s)
	}
	return v.Constructor().String()
}

// flat renders v on one line if that takes at most limit bytes; it stops
// as soon as the text is too long, so a large value costs little here.
func (p *printer) flat(v starlark.Value, limit int) (string, bool) {
	var b strings.Builder
	ok := p.writeFlat(&b, v, limit)
	return b.String(), ok && b.Len() <= limit
}

func (p *printer) writeFlat(b *strings.Builder, v starlark.Value, limit int) bool {
	if b.Len() > limit {
		return false
	}
	kind := containerKind(v)
	if kind == "" {
		if s, ok := v.(starlark.String); ok && len(s) > limit {
			return false // quoting a huge string only to drop it
		}
		b.WriteString(v.String())
		return b.Len() <= limit
	}
	if !p.enter(v, b) {
		return b.Len() <= limit
	}
	defer p.nest.Leave()
	sep := func(i int) {
		if i > 0 {
			b.WriteString(", ")
		}
	}
	switch v := v.(type) {
	case *starlark.Dict:
		b.WriteString("{")
		for i, kv := range v.Items() {
			sep(i)
			if !p.writeFlat(b, kv[0], limit) {
				return false
			}
			b.WriteString(": ")
			if !p.writeFlat(b, kv[1], limit) {
				return false
			}
		}
		b.WriteString("}")
	case *starlarkstruct.Struct:
		b.WriteString(structName(v) + "(")
		for i, name := range v.AttrNames() {
			sep(i)
			x, _ := v.Attr(name)
			b.WriteString(name + " = ")
			if !p.writeFlat(b, x, limit) {
				return false
			}
		}
		b.WriteString(")")
	default:
		b.WriteString(kind[:1])
		it := v.(starlark.Iterable).Iterate()
		defer it.Done()
		var x starlark.Value
		for i := 0; it.Next(&x); i++ {
			sep(i)
			if !p.writeFlat(b, x, limit) {
				return false
			}
		}
		if _, ok := v.(starlark.Tuple); ok && v.(starlark.Tuple).Len() == 1 {
			b.WriteString(",")
		}
		b.WriteString(kind[1:])
	}
	return b.Len() <= limit
}

// JSON encodes a value as indented JSON for --output json, keeping dict
// order (the recipe's order, not sorted keys). Durations become strings
// such as "1m30s"; structs become objects.
func JSON(v starlark.Value) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v, "", &starutil.Nest{}); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v starlark.Value, indent string, n *starutil.Nest) error {
	if b.Len() > MaxRender {
		return fmt.Errorf("value too large: its JSON passes %d MiB", MaxRender>>20)
	}
	if containerKind(v) == "" {
		if err := n.Count(); err != nil {
			return err
		}
	} else {
		if err := n.Enter(v); err != nil {
			return err
		}
		defer n.Leave()
	}
	inner := indent + "  "
	switch v := v.(type) {
	case *starlark.Dict:
		if v.Len() == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i, kv := range v.Items() {
			k, ok := kv[0].(starlark.String)
			if !ok {
				return fmt.Errorf("dict key %s: got %s, want string", kv[0], kv[0].Type())
			}
			if err := writeMember(b, inner, string(k), kv[1], i < v.Len()-1, n); err != nil {
				return err
			}
		}
		b.WriteString(indent + "}")
	case *starlarkstruct.Struct:
		names := v.AttrNames()
		b.WriteString("{\n")
		for i, name := range names {
			x, _ := v.Attr(name)
			if err := writeMember(b, inner, name, x, i < len(names)-1, n); err != nil {
				return err
			}
		}
		b.WriteString(indent + "}")
	case starlark.Indexable: // list, tuple
		if _, isString := v.(starlark.String); isString {
			return writeScalar(b, v)
		}
		if v.Len() == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			b.WriteString(inner)
			if err := writeJSON(b, v.Index(i), inner, n); err != nil {
				return err
			}
			if i < v.Len()-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		return writeScalar(b, v)
	}
	return nil
}

func writeMember(b *bytes.Buffer, indent, name string, v starlark.Value, comma bool, n *starutil.Nest) error {
	key, _ := json.Marshal(name)
	b.WriteString(indent)
	b.Write(key)
	b.WriteString(": ")
	if err := writeJSON(b, v, indent, n); err != nil {
		return err
	}
	if comma {
		b.WriteByte(',')
	}
	b.WriteByte('\n')
	return nil
}

func writeScalar(b *bytes.Buffer, v starlark.Value) error {
	var x any
	switch v := v.(type) {
	case starlark.NoneType:
		x = nil
	case starlark.Bool:
		x = bool(v)
	case starlark.String:
		x = string(v)
	case starlark.Int:
		b.WriteString(v.String()) // exact, big ints included
		return nil
	case starlark.Float:
		x = float64(v)
	case starlarktime.Duration:
		x = time.Duration(v).String()
	case starlarktime.Time:
		x = time.Time(v).Format(time.RFC3339Nano)
	default:
		return fmt.Errorf("cannot encode %s as JSON", v.Type())
	}
	out, err := json.Marshal(x)
	if err != nil {
		return err
	}
	b.Write(out)
	return nil
}
