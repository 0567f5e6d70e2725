package cloudstack

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.starlark.net/starlark"
)

// toParams turns keyword arguments into API parameters: None is left out,
// bools are true/false, lists are comma-joined, a dict d becomes
// name[0].key=value and a list of dicts name[i].key=value (CloudStack map
// parameters such as details and tags).
func toParams(kwargs []starlark.Tuple) (map[string]string, error) {
	p := map[string]string{}
	for _, kv := range kwargs {
		name := string(kv[0].(starlark.String))
		if reserved(name) {
			return nil, fmt.Errorf("parameter %s is set by the client", name)
		}
		if !paramName(name) {
			return nil, fmt.Errorf("parameter %q: not a CloudStack parameter name (letters, digits, _ . [ ])", name)
		}
		if err := addParam(p, name, kv[1]); err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
	}
	for k, v := range p {
		if i := strings.IndexByte(k+"="+v, 0); i >= 0 {
			// The simulator would store it; a real server's database and
			// the tools reading it back would not agree: refuse in both.
			return nil, fmt.Errorf("parameter %s: a NUL byte at offset %d of %q", k, i, k+"="+v)
		}
	}
	return p, nil
}

// paramName accepts what CloudStack names parameters with, including map
// entries spelled out (details[0].key).
func paramName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_.[]", r)) {
			return false
		}
	}
	return true
}

// reserved are the parameters the client signs with; the server reads
// names case-insensitively, so APIKey is apikey.
func reserved(name string) bool {
	switch strings.ToLower(name) {
	case "apikey", "signature", "command", "response", "expires", "signatureversion":
		return true
	}
	return false
}

func addParam(p map[string]string, name string, v starlark.Value) error {
	switch v := v.(type) {
	case starlark.NoneType:
		return nil
	case *starlark.Dict:
		return addMap(p, name, 0, v)
	case *starlark.List, starlark.Tuple:
		elems := listElems(v.(starlark.Indexable))
		if len(elems) > 0 {
			if _, ok := elems[0].(*starlark.Dict); ok {
				for i, e := range elems {
					d, ok := e.(*starlark.Dict)
					if !ok {
						return fmt.Errorf("got %s in a list of dicts, want dict", e.Type())
					}
					if err := addMap(p, name, i, d); err != nil {
						return err
					}
				}
				return nil
			}
		}
		parts := make([]string, len(elems))
		for i, e := range elems {
			s, err := scalar(e)
			if err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
			parts[i] = s
		}
		p[name] = strings.Join(parts, ",")
		return nil
	}
	s, err := scalar(v)
	if err != nil {
		return fmt.Errorf("got %s, want string, int, float, bool, list or dict", v.Type())
	}
	p[name] = s
	return nil
}

func addMap(p map[string]string, name string, i int, d *starlark.Dict) error {
	keys := d.Keys()
	sort.Slice(keys, func(a, b int) bool { return keys[a].String() < keys[b].String() })
	for _, k := range keys {
		ks, ok := k.(starlark.String)
		if !ok {
			return fmt.Errorf("got %s key, want string", k.Type())
		}
		v, _, _ := d.Get(k)
		s, err := scalar(v)
		if err != nil {
			return fmt.Errorf("key %q: %v", string(ks), err)
		}
		p[fmt.Sprintf("%s[%d].%s", name, i, string(ks))] = s
	}
	return nil
}

func listElems(x starlark.Indexable) []starlark.Value {
	out := make([]starlark.Value, x.Len())
	for i := range out {
		out[i] = x.Index(i)
	}
	return out
}

func scalar(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Bool:
		return strconv.FormatBool(bool(v)), nil
	case starlark.Int:
		return v.String(), nil
	case starlark.Float:
		return strconv.FormatFloat(float64(v), 'f', -1, 64), nil
	}
	return "", fmt.Errorf("got %s, want string, int, float or bool", v.Type())
}
