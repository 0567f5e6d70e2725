package starutil

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"
)

// Size is a byte count unpacked from an int or a size string ("10G",
// "10GiB", "10GB", "512M"). Use it as a target of starlark.UnpackArgs.
type Size int64

// Unpack implements starlark.Unpacker.
func (s *Size) Unpack(v starlark.Value) error {
	switch v := v.(type) {
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 0 {
			return fmt.Errorf("size %s out of range", v)
		}
		*s = Size(n)
		return nil
	case starlark.String:
		n, err := ParseSize(string(v))
		if err != nil {
			return err
		}
		*s = Size(n)
		return nil
	}
	return fmt.Errorf("got %s, want int or size string such as \"10G\"", v.Type())
}

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	"t": 1 << 40, "tib": 1 << 40, "tb": 1e12,
	"p": 1 << 50, "pib": 1 << 50, "pb": 1e15,
}

// ParseSize parses a size: a bare number is bytes; K/M/G/T/P and KiB...PiB
// are binary; KB...PB are decimal (libvirt semantics). Case is ignored.
//
// A fraction of a binary unit ("9.57G") is read as lvcreate -L reads it:
// the exact value rounded down to whole 512-byte sectors (lvm2 casts its
// sector count to an integer), so size("9.57G") is 10275708928, the size
// `lvcreate -L 9.57G` asks for; lvcreate then rounds that up to whole
// extents, as it does any size. A non-zero fraction below one sector is
// refused (lvcreate: "--size may not be zero"). Bytes and decimal units
// must come to a whole number of bytes.
func ParseSize(text string) (int64, error) {
	t := strings.TrimSpace(text)
	shown := clip(text)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := sizeUnits[unit]
	if num == "" || !ok {
		return 0, fmt.Errorf("invalid size %q (want e.g. 1073741824, \"10G\", \"10GiB\" or \"10GB\")", shown)
	}
	tooBig := fmt.Errorf("invalid size %q: larger than 8 EiB", shown)
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		// Whole numbers stay exact: no float rounding of large byte counts.
		m := int64(mult)
		if n > math.MaxInt64/m {
			return 0, tooBig
		}
		return n * m, nil
	}
	// Exact decimal arithmetic: 9.57 is not a binary float.
	r, ok := new(big.Rat).SetString(num)
	if !ok || strings.Count(num, ".") != 1 || num == "." {
		return 0, fmt.Errorf("invalid size %q", shown)
	}
	r.Mul(r, new(big.Rat).SetInt64(int64(mult)))
	bytes := new(big.Int).Quo(r.Num(), r.Denom()) // r >= 0: Quo is floor
	if binaryUnit(unit) {
		sectors := new(big.Int).Quo(bytes, big.NewInt(512))
		if sectors.Sign() == 0 && r.Sign() != 0 {
			return 0, fmt.Errorf("invalid size %q: less than one 512-byte sector (LVM rounds a fractional size down to whole sectors)", shown)
		}
		bytes.Mul(sectors, big.NewInt(512))
	} else if !r.IsInt() {
		return 0, fmt.Errorf("invalid size %q: not a whole number of bytes", shown)
	}
	if !bytes.IsInt64() {
		return 0, tooBig
	}
	return bytes.Int64(), nil
}

// clip shortens text quoted in an error: a size is short, and a
// megabyte of digits should not come back in the message.
func clip(text string) string {
	if len(text) > 64 {
		return text[:64] + "..."
	}
	return text
}

// binaryUnit reports whether unit is one of LVM's (K, M, G, T, P; KiB...).
func binaryUnit(unit string) bool {
	return len(unit) == 1 && unit != "b" || strings.HasSuffix(unit, "ib")
}

// Duration is unpacked from a duration value, a string ("10m", "0.5s",
// "2d") or a number of seconds.
type Duration time.Duration

// Unpack implements starlark.Unpacker.
func (d *Duration) Unpack(v starlark.Value) error {
	switch v := v.(type) {
	case starlarktime.Duration:
		if v < 0 {
			return fmt.Errorf("negative duration %s", v)
		}
		*d = Duration(v)
		return nil
	case starlark.String:
		p, err := ParseDuration(string(v))
		*d = Duration(p)
		return err
	case starlark.Int, starlark.Float:
		f, _ := starlark.AsFloat(v)
		ns := f * float64(time.Second)
		// !(a && b) also rejects NaN; ±Inf and huge ints fail the bound.
		if !(f >= 0 && ns < math.MaxInt64) {
			return fmt.Errorf("invalid duration %s seconds: want a number from 0 to about 292 years", v)
		}
		*d = Duration(ns)
		return nil
	}
	return fmt.Errorf("got %s, want duration, string such as \"10m\" or seconds", v.Type())
}

// ParseDuration is time.ParseDuration plus a "d" (24h) unit.
func ParseDuration(text string) (time.Duration, error) {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "d") {
		f, err := strconv.ParseFloat(strings.TrimSuffix(t, "d"), 64)
		if err == nil {
			ns := f * 24 * float64(time.Hour)
			if !(ns >= 0 && ns < math.MaxInt64) { // also rejects NaN
				return 0, fmt.Errorf("invalid duration %q: negative or too long", text)
			}
			return time.Duration(ns), nil
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (want e.g. \"90s\", \"10m\", \"1h30m\")", text)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", text)
	}
	return d, nil
}

// Strings is a list of strings unpacked from a list or tuple of strings
// (or a single string, taken as one element).
type Strings []string

// Unpack implements starlark.Unpacker.
func (s *Strings) Unpack(v starlark.Value) error {
	if str, ok := v.(starlark.String); ok {
		*s = []string{string(str)}
		return nil
	}
	it, ok := v.(starlark.Iterable)
	if !ok {
		return fmt.Errorf("got %s, want list of strings", v.Type())
	}
	out := []string{}
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		str, ok := x.(starlark.String)
		if !ok {
			return fmt.Errorf("got %s in list, want string", x.Type())
		}
		out = append(out, string(str))
	}
	*s = out
	return nil
}

// StringMap is a dict of string to string (values may be ints or bools,
// rendered as text), e.g. env = {"A": "1"}.
type StringMap map[string]string

// Unpack implements starlark.Unpacker.
func (m *StringMap) Unpack(v starlark.Value) error {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return fmt.Errorf("got %s, want dict", v.Type())
	}
	out := StringMap{}
	for _, kv := range d.Items() {
		k, ok := kv[0].(starlark.String)
		if !ok {
			return fmt.Errorf("got %s key, want string", kv[0].Type())
		}
		switch val := kv[1].(type) {
		case starlark.String:
			out[string(k)] = string(val)
		case starlark.Int, starlark.Bool, starlark.Float:
			out[string(k)] = val.String()
		default:
			return fmt.Errorf("value of %q: got %s, want string", string(k), kv[1].Type())
		}
	}
	*m = out
	return nil
}
