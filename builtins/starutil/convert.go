package starutil

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"time"

	starlarktime "go.starlark.net/lib/time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// ToValue converts a JSON-like Go value (nil, bool, numbers, string,
// []any, map[string]any, json.Number) to a Starlark value. Whole numbers
// become ints, so ids and sizes keep their type. Nesting and size are
// bounded (see Nest).
func ToValue(x any) (starlark.Value, error) {
	return toValue(x, &Nest{})
}

func toValue(x any, n *Nest) (starlark.Value, error) {
	switch x := x.(type) {
	case nil:
		return starlark.None, nil
	case starlark.Value:
		return x, nil
	case bool:
		return starlark.Bool(x), nil
	case string:
		return starlark.String(x), nil
	case int:
		return starlark.MakeInt(x), nil
	case int64:
		return starlark.MakeInt64(x), nil
	case uint64:
		return starlark.MakeUint64(x), nil
	case *big.Int:
		return starlark.MakeBigInt(x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return starlark.MakeInt64(int64(x)), nil
		}
		return starlark.Float(x), nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return starlark.MakeInt64(i), nil
		}
		if b, ok := new(big.Int).SetString(string(x), 10); ok {
			return starlark.MakeBigInt(b), nil
		}
		f, err := x.Float64()
		return starlark.Float(f), err
	case []any:
		if err := n.Enter(starlark.None); err != nil {
			return nil, err
		}
		defer n.Leave()
		elems := make([]starlark.Value, len(x))
		for i, e := range x {
			v, err := toValue(e, n)
			if err != nil {
				return nil, err
			}
			elems[i] = v
		}
		return starlark.NewList(elems), nil
	case map[string]any:
		if err := n.Enter(starlark.None); err != nil {
			return nil, err
		}
		defer n.Leave()
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		d := starlark.NewDict(len(x))
		for _, k := range keys {
			v, err := toValue(x[k], n)
			if err != nil {
				return nil, err
			}
			_ = d.SetKey(starlark.String(k), v)
		}
		return d, nil
	}
	return nil, fmt.Errorf("cannot convert %v to a Starlark value", x)
}

// FromValue converts a Starlark value to a JSON-like Go value: ints become
// int (or *big.Int when they do not fit), structs and dicts become maps.
// A value that contains itself is an error (ErrCycle), as are values
// nested or sized beyond the bounds of Nest.
func FromValue(v starlark.Value) (any, error) {
	return fromValue(v, &Nest{})
}

func fromValue(v starlark.Value, n *Nest) (any, error) {
	switch v.(type) {
	case *starlark.List, starlark.Tuple, *starlark.Dict, *starlarkstruct.Struct:
		if err := n.Enter(v); err != nil {
			return nil, err
		}
		defer n.Leave()
	default:
		if err := n.Count(); err != nil {
			return nil, err
		}
	}
	switch v := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.Bool:
		return bool(v), nil
	case starlark.String:
		return string(v), nil
	case starlark.Int:
		if i, ok := v.Int64(); ok {
			return int(i), nil
		}
		return v.BigInt(), nil
	case starlark.Float:
		return float64(v), nil
	case *starlark.List, starlark.Tuple:
		it := v.(starlark.Iterable).Iterate()
		defer it.Done()
		out := []any{}
		var x starlark.Value
		for it.Next(&x) {
			e, err := fromValue(x, n)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case *starlark.Dict:
		out := make(map[string]any, v.Len())
		for _, kv := range v.Items() {
			k, ok := kv[0].(starlark.String)
			if !ok {
				return nil, fmt.Errorf("dict key %s: got %s, want string", kv[0], kv[0].Type())
			}
			e, err := fromValue(kv[1], n)
			if err != nil {
				return nil, err
			}
			out[string(k)] = e
		}
		return out, nil
	case starlarktime.Duration:
		return time.Duration(v).String(), nil
	case starlarktime.Time:
		return time.Time(v).Format(time.RFC3339Nano), nil
	case *starlarkstruct.Struct:
		d := starlark.StringDict{}
		v.ToStringDict(d)
		out := make(map[string]any, len(d))
		for k, x := range d {
			e, err := fromValue(x, n)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot convert %s to JSON-like data", v.Type())
}

// Struct builds a frozen struct of the given constructor name ("lvm.lv")
// from fields; it prints as name(field = value, ...).
func Struct(name string, fields starlark.StringDict) *starlarkstruct.Struct {
	s := starlarkstruct.FromStringDict(starlark.String(name), fields)
	s.Freeze()
	return s
}
