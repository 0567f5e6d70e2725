package virsh

import (
	"encoding/xml"
	"reflect"
	"sort"
	"strings"
)

// schema is what libvirtxml's Go types say about one XML element: its
// attributes, child elements (and which repeat), whether it holds text.
// It is read from the struct tags, so the names a dict may use are exactly
// the ones libvirtxml knows; variants that libvirtxml marshals by hand
// (xml:"-" fields such as a disk source's file/network forms) are merged
// into their parent, as they appear in the XML.
type schema struct {
	attrs map[string]reflect.Type // attribute name -> Go type (kind decides int or string)
	elems map[string]child
	text  reflect.Type // the chardata field's type, nil without text
	// opaque: innerxml or any (metadata): every name below is allowed.
	opaque bool
	// custom: libvirtxml marshals it by hand and may write discriminator
	// attributes ("type", "mode", "model") that no field names.
	custom bool
}

type child struct {
	list bool
	t    reflect.Type // dereferenced: a struct, or a scalar
}

// schemas builds schemas lazily per walk; one per conversion, no globals.
type schemas map[reflect.Type]*schema

var marshalerType = reflect.TypeOf((*xml.Marshaler)(nil)).Elem()

// of returns the schema of struct type t, or nil for a scalar or nil t.
func (ss schemas) of(t reflect.Type) *schema {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	if s, ok := ss[t]; ok {
		return s
	}
	s := &schema{attrs: map[string]reflect.Type{}, elems: map[string]child{}}
	ss[t] = s
	s.custom = reflect.PointerTo(t).Implements(marshalerType) || t.Implements(marshalerType)
	ss.merge(s, t, 0)
	return s
}

func (ss schemas) merge(s *schema, t reflect.Type, depth int) {
	if depth > 8 {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "XMLName" {
			continue
		}
		tag, has := f.Tag.Lookup("xml")
		ft := deref(f.Type)
		if tag == "-" || (f.Anonymous && !has) {
			if ft.Kind() == reflect.Struct {
				if reflect.PointerTo(ft).Implements(marshalerType) {
					s.custom = true
				}
				ss.merge(s, ft, depth+1)
			}
			continue
		}
		if !has {
			continue // untagged: libvirtxml's namespaced extensions
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.ContainsAny(name, " >") {
			continue // namespaced (qemu:commandline) or nested paths
		}
		switch {
		case hasOpt(opts, "attr"):
			if name == "" {
				name = f.Name
			}
			s.attrs[name] = ft
		case hasOpt(opts, "chardata"):
			s.text = ft
		case hasOpt(opts, "innerxml"), hasOpt(opts, "any"):
			s.opaque = true
		case hasOpt(opts, "comment"):
		default:
			if name == "" {
				name = f.Name
			}
			c := child{t: ft}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 {
				c = child{list: true, t: deref(ft.Elem())}
			}
			s.elems[name] = c
		}
	}
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// textKey is the dict key of an element's text when it also has
// attributes or children: "value", unless the element has a "value"
// attribute or child of its own.
func (s *schema) textKey() string {
	if s != nil {
		if _, ok := s.attrs["value"]; ok {
			return "#text"
		}
		if _, ok := s.elems["value"]; ok {
			return "#text"
		}
	}
	return "value"
}

// names lists every name the element may use, sorted, for suggestions.
func (s *schema) names() []string {
	var out []string
	for n := range s.attrs {
		out = append(out, n)
	}
	for n := range s.elems {
		out = append(out, n)
	}
	if s.text != nil {
		out = append(out, s.textKey())
	}
	if s.custom {
		if _, ok := s.attrs["type"]; !ok {
			out = append(out, "type")
		}
	}
	sort.Strings(out)
	return out
}

// isInt says whether a Go type holds a number, so text reads as an int.
func isInt(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch deref(t).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}
