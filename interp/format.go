package interp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	starlarktime "go.starlark.net/lib/time"

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

// JSON encodes a value as indented JSON for --output json, keeping dict
// order (the recipe's order, not sorted keys). Durations become strings
// such as "1m30s"; structs become objects.
func JSON(v starlark.Value) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, v, ""); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v starlark.Value, indent string) error {
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
			if err := writeMember(b, inner, string(k), kv[1], i < v.Len()-1); err != nil {
				return err
			}
		}
		b.WriteString(indent + "}")
	case *starlarkstruct.Struct:
		names := v.AttrNames()
		b.WriteString("{\n")
		for i, name := range names {
			x, _ := v.Attr(name)
			if err := writeMember(b, inner, name, x, i < len(names)-1); err != nil {
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
			if err := writeJSON(b, v.Index(i), inner); err != nil {
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

func writeMember(b *bytes.Buffer, indent, name string, v starlark.Value, comma bool) error {
	key, _ := json.Marshal(name)
	b.WriteString(indent)
	b.Write(key)
	b.WriteString(": ")
	if err := writeJSON(b, v, indent); err != nil {
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
