package core

import (
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	starjson "go.starlark.net/lib/json"
	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.yaml.in/yaml/v3"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// jsonModule wraps go.starlark.net's lib/json: its decoder already keeps
// ints as ints, and its builtins carry the qualified json.* names.
func jsonModule() *starutil.Module {
	lib := func(name string) starutil.Impl {
		inner := starjson.Module.Members[name].(*starlark.Builtin)
		return func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			return inner.CallInternal(th, args, kwargs)
		}
	}
	return &starutil.Module{Name: "json", Doc: "JSON encoding and decoding (go.starlark.net lib/json)", Funcs: []starutil.Func{
		{Name: "encode", Params: "(x)", Impl: lib("encode"), Doc: "Returns the JSON encoding of x (dicts, lists, structs, strings, numbers, bools, None)."},
		{Name: "encode_indent", Params: "(x, prefix = \"\", indent = \"\\t\")", Impl: lib("encode_indent"), Doc: "Returns the indented JSON encoding of x."},
		{Name: "decode", Params: "(x, default = None)", Impl: lib("decode"), Doc: "Decodes JSON text to a value (ints stay ints); default is returned for invalid JSON when given."},
		{Name: "indent", Params: "(str, prefix = \"\", indent = \"\\t\")", Impl: lib("indent"), Doc: "Re-indents JSON text."},
	}}
}

func yamlModule() *starutil.Module {
	return &starutil.Module{Name: "yaml", Doc: "YAML encoding and decoding", Funcs: []starutil.Func{
		{Name: "encode", Params: "(x)", Impl: yamlEncode, Doc: "Returns the YAML encoding of x, keeping dict key order."},
		{Name: "decode", Params: "(x)", Impl: yamlDecode, Doc: "Decodes one YAML document to a value (ints stay ints, mapping order kept); an empty document is None."},
		{Name: "decode_all", Params: "(x)", Impl: yamlDecodeAll, Doc: "Decodes a stream of YAML documents (separated by ---) to a list of values."},
	}}
}

func yamlEncode(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starutil.Unpack(b, args, kwargs, "x", &x); err != nil {
		return nil, err
	}
	n, err := toYAMLNode(x, 0)
	if err != nil {
		return nil, err
	}
	out, err := yaml.Marshal(n)
	if err != nil {
		return nil, err
	}
	return starlark.String(out), nil
}

func yamlDecode(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	docs, err := decodeYAMLArgs(b, args, kwargs)
	switch {
	case err != nil:
		return nil, err
	case len(docs) == 0:
		return starlark.None, nil
	case len(docs) > 1:
		return nil, fmt.Errorf("the text holds %d documents, want 1 (use yaml.decode_all)", len(docs))
	}
	return docs[0], nil
}

func yamlDecodeAll(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	docs, err := decodeYAMLArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.NewList(docs), nil
}

func decodeYAMLArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) ([]starlark.Value, error) {
	var text string
	if err := starutil.Unpack(b, args, kwargs, "x", &text); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	budget := maxNodes
	var docs []starlark.Value
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err == io.EOF {
			return docs, nil
		} else if err != nil {
			return nil, fmt.Errorf("%v", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		v, err := fromYAMLNode(&doc, 0, &budget)
		if err != nil {
			return nil, err
		}
		docs = append(docs, v)
	}
}

// Limits against cyclic values and alias bombs ("billion laughs").
const (
	maxDepth = 200
	maxNodes = 1 << 20
)

var yaml11Bool = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true}

// toYAMLNode builds a node tree directly, so dict order is kept and big
// ints are written exactly.
func toYAMLNode(v starlark.Value, depth int) (*yaml.Node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("value nested too deeply (cyclic?)")
	}
	if n, ok := yamlScalarNode(v); ok {
		return n, nil
	}
	switch v := v.(type) {
	case starlark.IterableMapping:
		var pairs [][2]starlark.Value
		for _, kv := range v.Items() {
			pairs = append(pairs, [2]starlark.Value{kv[0], kv[1]})
		}
		return yamlMapping(pairs, depth)
	case starlark.Iterable:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		it := v.Iterate()
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			e, err := toYAMLNode(x, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, e)
		}
		return n, nil
	case starlark.HasAttrs: // structs, such as run's result
		var pairs [][2]starlark.Value
		for _, name := range v.AttrNames() {
			if a, err := v.Attr(name); err == nil && a != nil {
				if _, isFn := a.(starlark.Callable); !isFn {
					pairs = append(pairs, [2]starlark.Value{starlark.String(name), a})
				}
			}
		}
		return yamlMapping(pairs, depth)
	}
	return nil, fmt.Errorf("cannot encode %s as YAML", v.Type())
}

func yamlMapping(pairs [][2]starlark.Value, depth int) (*yaml.Node, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, kv := range pairs {
		k, ok := kv[0].(starlark.String)
		if !ok {
			return nil, fmt.Errorf("dict key %s: got %s, want string", kv[0], kv[0].Type())
		}
		val, err := toYAMLNode(kv[1], depth+1)
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(k)}, val)
	}
	return n, nil
}

func yamlScalarNode(v starlark.Value) (*yaml.Node, bool) {
	scalar := func(tag, text string) (*yaml.Node, bool) {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: text}, true
	}
	switch v := v.(type) {
	case starlark.NoneType:
		return scalar("!!null", "null")
	case starlark.Bool:
		return scalar("!!bool", strconv.FormatBool(bool(v)))
	case starlark.Int:
		return scalar("!!int", v.String())
	case starlark.Float:
		f := float64(v)
		switch {
		case math.IsInf(f, 1):
			return scalar("!!float", ".inf")
		case math.IsInf(f, -1):
			return scalar("!!float", "-.inf")
		case math.IsNaN(f):
			return scalar("!!float", ".nan")
		}
		return scalar("!!float", strconv.FormatFloat(f, 'g', -1, 64))
	case starlarktime.Duration: // as the text duration() reads back
		return scalar("!!str", v.String())
	case starlark.String:
		n, _ := scalar("!!str", string(v))
		if yaml11Bool[strings.ToLower(string(v))] {
			// YAML 1.1 readers (cloud-init, Ansible) take these as booleans.
			n.Style = yaml.DoubleQuotedStyle
		}
		return n, true
	}
	return nil, false
}

func fromYAMLNode(n *yaml.Node, depth int, budget *int) (starlark.Value, error) {
	*budget--
	if depth > maxDepth || *budget < 0 {
		return nil, fmt.Errorf("document nested too deeply or too large after alias expansion")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return starlark.None, nil
		}
		return fromYAMLNode(n.Content[0], depth+1, budget)
	case yaml.AliasNode:
		return fromYAMLNode(n.Alias, depth+1, budget)
	case yaml.SequenceNode:
		elems := make([]starlark.Value, len(n.Content))
		for i, c := range n.Content {
			v, err := fromYAMLNode(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			elems[i] = v
		}
		return starlark.NewList(elems), nil
	case yaml.MappingNode:
		return fromYAMLMapping(n, depth, budget)
	case yaml.ScalarNode:
		return yamlScalar(n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

// fromYAMLMapping builds a dict in document order.
func fromYAMLMapping(n *yaml.Node, depth int, budget *int) (starlark.Value, error) {
	d := starlark.NewDict(len(n.Content) / 2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, err := fromYAMLNode(n.Content[i], depth+1, budget)
		if err != nil {
			return nil, err
		}
		if _, err := k.Hash(); err != nil {
			return nil, fmt.Errorf("line %d: mapping key %s is not hashable", n.Content[i].Line, k.Type())
		}
		v, err := fromYAMLNode(n.Content[i+1], depth+1, budget)
		if err != nil {
			return nil, err
		}
		if err := d.SetKey(k, v); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// yamlScalar converts a resolved scalar; ints of any size stay ints.
func yamlScalar(n *yaml.Node) (starlark.Value, error) {
	switch n.ShortTag() {
	case "!!null":
		return starlark.None, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, err
		}
		return starlark.Bool(b), nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return starlark.MakeInt64(i), nil
		}
		text := strings.ReplaceAll(n.Value, "_", "")
		if b, ok := new(big.Int).SetString(text, 0); ok {
			return starlark.MakeBigInt(b), nil
		}
		return nil, fmt.Errorf("line %d: invalid int %q", n.Line, n.Value)
	case "!!float":
		// yaml.v3 resolves ints beyond 64 bits as floats; keep them exact.
		if b, ok := new(big.Int).SetString(n.Value, 10); ok {
			return starlark.MakeBigInt(b), nil
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		return starlark.Float(f), nil
	case "!!str", "!!binary", "!!timestamp":
		return starlark.String(n.Value), nil
	}
	return starlark.String(n.Value), nil
}
