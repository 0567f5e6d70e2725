package virsh

import (
	"fmt"
	"math"
	"math/bits"
	"strings"

	"go.starlark.net/starlark"
)

// Doc is a checked libvirt document: what virsh.domain and virsh.network
// return and define/net_define accept.
type Doc struct {
	kind string // "domain", "network"
	name string
	xml  string         // as libvirtxml wrote it
	dict *starlark.Dict // read back from xml, frozen
}

var _ starlark.HasAttrs = (*Doc)(nil)

func (d *Doc) String() string        { return fmt.Sprintf("<virsh.%s %q>", d.kind, d.name) }
func (d *Doc) Type() string          { return "virsh." + d.kind }
func (d *Doc) Freeze()               {}
func (d *Doc) Truth() starlark.Bool  { return true }
func (d *Doc) Hash() (uint32, error) { return starlark.String(d.xml).Hash() }

// Attr implements starlark.HasAttrs.
func (d *Doc) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(d.name), nil
	case "xml":
		return starlark.String(d.xml), nil
	case "dict":
		return d.dict, nil
	case "memory_kib":
		if d.kind != "domain" {
			return nil, nil
		}
		return d.memoryKiB()
	}
	return nil, nil
}

// AttrNames implements starlark.HasAttrs.
func (d *Doc) AttrNames() []string {
	if d.kind == "domain" {
		return []string{"dict", "memory_kib", "name", "xml"}
	}
	return []string{"dict", "name", "xml"}
}

// memoryKiB is <memory> in KiB as libvirt stores it.
func (d *Doc) memoryKiB() (starlark.Value, error) {
	m, ok, _ := d.dict.Get(starlark.String("memory"))
	if !ok {
		return starlark.None, nil
	}
	md, _ := m.(*starlark.Dict)
	if md == nil {
		return starlark.None, nil
	}
	var value uint64
	if v, ok, _ := md.Get(starlark.String("value")); ok {
		if err := starlark.AsInt(v, &value); err != nil {
			return nil, fmt.Errorf("memory: %v", err)
		}
	}
	unit := ""
	if u, ok, _ := md.Get(starlark.String("unit")); ok {
		unit, _ = starlark.AsString(u)
	}
	kib, err := KiB(value, unit)
	if err != nil {
		return nil, fmt.Errorf("memory: %v", err)
	}
	return starlark.MakeUint64(kib), nil
}

// KiB converts a libvirt scaled memory value to KiB as libvirt does
// (virDomainParseScaledValue, then VIR_DIV_UP by 1024): no unit is KiB;
// b/bytes are bytes; K, M, G, T, P, E alone or with "iB" are powers of
// 1024, with "B" powers of 1000 (case-insensitive). So 1 GB = 10^9 bytes
// = 976562.5 KiB, rounded up to 976563.
func KiB(value uint64, unit string) (uint64, error) {
	scale, err := UnitScale(unit)
	if err != nil {
		return 0, err
	}
	hi, bytes := bits.Mul64(value, scale)
	if hi != 0 || bytes > math.MaxInt64 {
		return 0, fmt.Errorf("value %d %s is too large (libvirt's limit is %d bytes)", value, unit, uint64(math.MaxInt64))
	}
	return (bytes + 1023) / 1024, nil
}

// UnitScale is the bytes in one of libvirt's units ("" is KiB).
func UnitScale(unit string) (uint64, error) {
	u := strings.ToLower(unit)
	switch u {
	case "":
		return 1024, nil
	case "b", "bytes":
		return 1, nil
	}
	powers := "kmgtpe"
	i := strings.IndexByte(powers, u[0])
	if i < 0 {
		return 0, fmt.Errorf("unknown unit %q (libvirt takes b, KiB/K/KB, MiB/M/MB, GiB/G/GB, TiB/T/TB, PiB/P/PB, EiB/E/EB)", unit)
	}
	base := uint64(0)
	switch u[1:] {
	case "", "ib":
		base = 1024
	case "b":
		base = 1000
	default:
		return 0, fmt.Errorf("unknown unit %q (libvirt takes b, KiB/K/KB, MiB/M/MB, GiB/G/GB, TiB/T/TB, PiB/P/PB, EiB/E/EB)", unit)
	}
	scale := uint64(1)
	for j := 0; j <= i; j++ {
		scale *= base
	}
	return scale, nil
}
