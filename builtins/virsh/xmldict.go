package virsh

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// A dict shaped like the XML: attributes and child elements are keys (a
// repeating child, by libvirtxml's types, is a list), an element's text is
// the key "value" when it also has attributes or children, and an element
// holding only text is that text (an int where libvirtxml reads a number).
// <memory unit='KiB'>976563</memory> is {"unit": "KiB", "value": 976563};
// <acpi/> is {}.

// encodeDict writes v as the root element root of an XML document.
func encodeDict(root string, v starlark.Value, t reflect.Type) ([]byte, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	w := &writer{enc: enc, ss: schemas{}, nest: &starutil.Nest{}}
	if _, ok := v.(*starlark.Dict); !ok {
		return nil, fmt.Errorf("got %s, want a dict shaped like the <%s> XML", v.Type(), root)
	}
	if err := w.element(root, root, v, w.ss.of(t)); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type writer struct {
	enc  *xml.Encoder
	ss   schemas
	nest *starutil.Nest
}

// scalarText renders a scalar for an attribute or element text.
func scalarText(path string, v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Int:
		return v.String(), nil
	}
	return "", fmt.Errorf("%s: got %s, want a string or an int (libvirt spells switches \"yes\"/\"no\" or \"on\"/\"off\")", path, v.Type())
}

func isScalar(v starlark.Value) bool {
	switch v.(type) {
	case starlark.String, starlark.Int, starlark.Bool, starlark.Float:
		return true
	}
	return false
}

// element writes one element named name from v (a dict, a scalar for its
// text, True for an empty element).
func (w *writer) element(path, name string, v starlark.Value, s *schema) error {
	if err := w.nest.Enter(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer w.nest.Leave()
	start := xml.StartElement{Name: xml.Name{Local: name}}
	if !validXMLName(name) {
		return fmt.Errorf("%s: %q is not an XML name", path, name)
	}
	d, isDict := v.(*starlark.Dict)
	if !isDict {
		if b, ok := v.(starlark.Bool); ok && bool(b) {
			return w.tokens(start, "")
		}
		text, err := scalarText(path, v)
		if err != nil {
			return err
		}
		return w.tokens(start, text)
	}
	tk := s.textKey()
	var text string
	var kids []starlark.Tuple
	for _, kv := range d.Items() {
		k, ok := kv[0].(starlark.String)
		if !ok {
			return fmt.Errorf("%s: got %s key, want string", path, kv[0].Type())
		}
		key, val, sub := string(k), kv[1], path+"."+string(k)
		if val == starlark.None || val == starlark.False {
			continue
		}
		_, elem := s.elemOf(key)
		_, attr := s.attrOf(key)
		switch {
		case attr && !elem:
			t, err := scalarText(sub, val) // True is no attribute value
			if err != nil {
				return err
			}
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: key}, Value: t})
		case key == tk && isScalar(val):
			t, err := scalarText(sub, val)
			if err != nil {
				return err
			}
			text = t
		case isScalar(val) && val != starlark.True && !elem:
			if !validXMLName(key) {
				return fmt.Errorf("%s: %q is not an XML name", path, key)
			}
			t, err := scalarText(sub, val)
			if err != nil {
				return err
			}
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: key}, Value: t})
		default:
			kids = append(kids, kv)
		}
	}
	if err := w.enc.EncodeToken(start); err != nil {
		return err
	}
	if text != "" {
		if err := w.enc.EncodeToken(xml.CharData(text)); err != nil {
			return err
		}
	}
	for _, kv := range kids {
		key := string(kv[0].(starlark.String))
		c, _ := s.elemOf(key)
		if err := w.children(path+"."+key, key, kv[1], w.ss.of(c.t)); err != nil {
			return err
		}
	}
	return w.enc.EncodeToken(start.End())
}

// children writes a value that may be a list of elements.
func (w *writer) children(path, name string, v starlark.Value, s *schema) error {
	switch l := v.(type) {
	case *starlark.List, starlark.Tuple:
		if err := w.nest.Enter(v); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer w.nest.Leave()
		seq := l.(starlark.Indexable)
		for i := 0; i < seq.Len(); i++ {
			if err := w.element(fmt.Sprintf("%s[%d]", path, i), name, seq.Index(i), s); err != nil {
				return err
			}
		}
		return nil
	}
	return w.element(path, name, v, s)
}

func (w *writer) tokens(start xml.StartElement, text string) error {
	if err := w.enc.EncodeToken(start); err != nil {
		return err
	}
	if text != "" {
		if err := w.enc.EncodeToken(xml.CharData(text)); err != nil {
			return err
		}
	}
	return w.enc.EncodeToken(start.End())
}

// attrOf is the attribute key, if the schema knows it.
func (s *schema) attrOf(key string) (reflect.Type, bool) {
	if s == nil {
		return nil, false
	}
	t, ok := s.attrs[key]
	return t, ok
}

// elemOf is the child element key, if the schema knows it.
func (s *schema) elemOf(key string) (child, bool) {
	if s == nil {
		return child{}, false
	}
	c, ok := s.elems[key]
	return c, ok
}

// validXMLName accepts the names libvirt's schemas use: letters, digits,
// '_', '-', '.', not starting with a digit, '-' or '.'.
func validXMLName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

// xnode is a parsed element, in document order.
type xnode struct {
	name  string
	attrs []xml.Attr
	kids  []*xnode
	text  strings.Builder
}

const maxXMLDepth = 200

// parseXML reads one XML document into its root element.
func parseXML(data []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("not well-formed XML: a second root element <%s>", t.Name.Local)
			}
			if len(stack) >= maxXMLDepth {
				return nil, fmt.Errorf("XML nested more than %d levels deep", maxXMLDepth)
			}
			n := &xnode{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				n.attrs = append(n.attrs, a)
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no XML element found")
	}
	return root, nil
}

// toDict converts a parsed element into the dict shape, typed by t.
func toDict(n *xnode, t reflect.Type) starlark.Value {
	return convert(n, schemas{}, t)
}

func convert(n *xnode, ss schemas, t reflect.Type) starlark.Value {
	s := ss.of(t)
	text := n.text.String()
	if len(n.attrs) == 0 && len(n.kids) == 0 && s == nil {
		return typed(text, t) // <name>papeete</name>
	}
	d := starlark.NewDict(len(n.attrs) + len(n.kids))
	for _, a := range n.attrs {
		var at reflect.Type
		if s != nil {
			at = s.attrs[a.Name.Local]
		}
		_ = d.SetKey(starlark.String(a.Name.Local), typed(a.Value, at))
	}
	if strings.TrimSpace(text) != "" {
		var tt reflect.Type
		if s != nil {
			tt = s.text
		}
		if len(n.kids) > 0 {
			text = strings.TrimSpace(text)
		}
		_ = d.SetKey(starlark.String(s.textKey()), typed(text, tt))
	}
	var order []string
	groups := map[string][]*xnode{}
	for _, k := range n.kids {
		if _, seen := groups[k.name]; !seen {
			order = append(order, k.name)
		}
		groups[k.name] = append(groups[k.name], k)
	}
	for _, name := range order {
		c, _ := s.elemOf(name)
		nodes := groups[name]
		if c.list || len(nodes) > 1 {
			vals := make([]starlark.Value, len(nodes))
			for i, k := range nodes {
				vals[i] = convert(k, ss, c.t)
			}
			_ = d.SetKey(starlark.String(name), starlark.NewList(vals))
			continue
		}
		_ = d.SetKey(starlark.String(name), convert(nodes[0], ss, c.t))
	}
	return d
}

// typed reads text as an int where libvirtxml keeps a number and the text
// is a plain decimal; otherwise as text ("0x00" PCI slots stay strings).
func typed(text string, t reflect.Type) starlark.Value {
	if isInt(t) {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return starlark.MakeInt64(n)
		}
		if n, err := strconv.ParseUint(text, 10, 64); err == nil {
			return starlark.MakeUint64(n)
		}
	}
	return starlark.String(text)
}
