package virsh

import (
	"fmt"
	"reflect"
	"strings"

	"go.starlark.net/starlark"
	"libvirt.org/go/libvirtxml"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// kind is one libvirt document type vrun builds and reads.
type kind struct {
	root string       // root element: "domain", "network"
	typ  reflect.Type // libvirtxml's struct
	// canon reads XML with libvirtxml and writes it back, the one place
	// the XML that goes to virsh is produced.
	canon func(string) (string, error)
}

func canonOf[T any, P interface {
	*T
	Unmarshal(string) error
	Marshal() (string, error)
}]() func(string) (string, error) {
	return func(doc string) (string, error) {
		var v T
		if err := P(&v).Unmarshal(doc); err != nil {
			return "", err
		}
		return P(&v).Marshal()
	}
}

var (
	domainKind  = kind{"domain", reflect.TypeOf(libvirtxml.Domain{}), canonOf[libvirtxml.Domain]()}
	networkKind = kind{"network", reflect.TypeOf(libvirtxml.Network{}), canonOf[libvirtxml.Network]()}
)

// build turns a dict (or an XML string) into a checked document: the XML
// libvirtxml writes, and the dict read back from it. A name libvirtxml
// does not keep (the seed's <membaloon>) is an error naming its path and
// the nearest known name: libvirt itself drops unknown elements silently.
func build(k kind, v starlark.Value) (*Doc, error) {
	in := v
	if s, ok := starlark.AsString(v); ok {
		n, err := parseXML([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("%s XML: %v", k.root, err)
		}
		if n.name != k.root {
			return nil, fmt.Errorf("got a <%s> document, want <%s>", n.name, k.root)
		}
		in = toDict(n, k.typ)
	}
	raw, err := encodeDict(k.root, in, k.typ)
	if err != nil {
		return nil, err
	}
	canon, err := k.canon(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: libvirtxml cannot read it: %v", k.root, err)
	}
	n, err := parseXML([]byte(canon))
	if err != nil {
		return nil, fmt.Errorf("%s: libvirtxml wrote XML it cannot read back: %v", k.root, err)
	}
	out := toDict(n, k.typ)
	if err := lost(k.root, in, out, schemas{}, k.typ); err != nil {
		return nil, err
	}
	d := &Doc{kind: k.root, xml: canon, dict: out.(*starlark.Dict)}
	d.dict.Freeze()
	if name, ok, _ := d.dict.Get(starlark.String("name")); ok {
		d.name, _ = starlark.AsString(name)
	}
	if d.name == "" {
		return nil, fmt.Errorf("%s: no name (libvirt needs one: name = \"...\")", k.root)
	}
	// The name becomes virsh's operand later (start, net-start): refused
	// now, before a recipe changes anything else.
	if err := starutil.Operand(d.name, "a "+k.root+" name"); err != nil {
		return nil, fmt.Errorf("%s.name: %w", k.root, err)
	}
	if k.root == "domain" { // a unit libvirt would refuse at define, refused now
		if _, err := d.memoryKiB(); err != nil {
			return nil, fmt.Errorf("domain.%v", err)
		}
	}
	return d, nil
}

// lost finds the first thing in the input that libvirtxml's round trip
// dropped, walking the input and its canonical form side by side.
func lost(path string, in, out starlark.Value, ss schemas, t reflect.Type) error {
	s := ss.of(t)
	switch iv := in.(type) {
	case *starlark.Dict:
		if l, ok := out.(*starlark.List); ok && l.Len() > 0 {
			out = l.Index(0) // one element given where a list may be
		}
		od, ok := out.(*starlark.Dict)
		if !ok {
			if iv.Len() == 0 {
				return nil
			}
			od = starlark.NewDict(0)
		}
		for _, kv := range iv.Items() {
			key, _ := starlark.AsString(kv[0])
			val := kv[1]
			if empty(val) {
				continue
			}
			ov, found, _ := od.Get(kv[0])
			if !found && key == s.textKey() {
				continue // text of an element libvirtxml keeps as a scalar
			}
			if !found {
				return unknownName(path, key, s)
			}
			c, _ := s.elemOf(key)
			if err := lost(path+"."+key, val, ov, ss, c.t); err != nil {
				return err
			}
		}
	case *starlark.List, starlark.Tuple:
		seq := iv.(starlark.Indexable)
		ol, _ := out.(*starlark.List)
		for i := 0; i < seq.Len(); i++ {
			p := fmt.Sprintf("%s[%d]", path, i)
			if ol == nil || i >= ol.Len() {
				if empty(seq.Index(i)) {
					continue
				}
				return fmt.Errorf("%s: dropped by libvirtxml (an empty or misplaced element?)", p)
			}
			if err := lost(p, seq.Index(i), ol.Index(i), ss, t); err != nil {
				return err
			}
		}
	}
	return nil
}

func empty(v starlark.Value) bool {
	switch v := v.(type) {
	case starlark.NoneType:
		return true
	case starlark.Bool:
		return !bool(v)
	case starlark.String:
		return v == ""
	case starlark.Int:
		return v.Sign() == 0
	}
	return false
}

func unknownName(path, key string, s *schema) error {
	if s == nil {
		return fmt.Errorf("%s.%s: unknown name %q (libvirt's schema has no children here)", path, key, key)
	}
	names := s.names()
	for _, n := range names {
		if n == key {
			return fmt.Errorf("%s.%s: libvirtxml does not keep %q in this form of <%s> (it belongs to another: check the type or mode attribute)", path, key, key, lastName(path))
		}
	}
	if n := starutil.Nearest(key, names); n != "" {
		return fmt.Errorf("%s.%s: unknown element or attribute %q (did you mean %q?)", path, key, key, n)
	}
	if len(names) > 12 {
		names = append(names[:12:12], "...")
	}
	return fmt.Errorf("%s.%s: unknown element or attribute %q (known here: %s)", path, key, key, strings.Join(names, ", "))
}

func lastName(path string) string {
	p := path[strings.LastIndex(path, ".")+1:]
	if i := strings.IndexByte(p, '['); i >= 0 {
		p = p[:i]
	}
	return p
}
