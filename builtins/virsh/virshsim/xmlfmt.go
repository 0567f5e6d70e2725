package virshsim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// libvirtStyle rewrites XML as libvirt prints it: two-space indents,
// single-quoted attributes, empty elements self-closed (<acpi/>), so the
// fake's dumpxml reads like the real one's. libvirtxml's Marshal writes
// the content; this only changes its spelling.
func libvirtStyle(doc string) (string, error) {
	type elem struct {
		name  string
		attrs []xml.Attr
		kids  []*elem
		text  string
	}
	dec := xml.NewDecoder(strings.NewReader(doc))
	var stack []*elem
	var root *elem
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &elem{name: t.Name.Local, attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, e)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			// libvirtxml keeps an openvswitch virtualport's type in its
			// <parameters>, so writes an empty one; libvirt prints none.
			if e.name == "parameters" && len(e.attrs) == 0 && len(e.kids) == 0 && len(stack) > 0 && stack[len(stack)-1].name == "virtualport" {
				p := stack[len(stack)-1]
				p.kids = p.kids[:len(p.kids)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return "", errors.New("no element")
	}
	var b bytes.Buffer
	var write func(e *elem, indent string)
	write = func(e *elem, indent string) {
		b.WriteString(indent + "<" + e.name)
		for _, a := range e.attrs {
			name := a.Name.Local
			if a.Name.Space != "" {
				name = a.Name.Space + ":" + name
			}
			b.WriteString(" " + name + "='" + escape(a.Value, true) + "'")
		}
		text := e.text
		if len(e.kids) > 0 {
			text = strings.TrimSpace(text)
		}
		switch {
		case len(e.kids) == 0 && text == "":
			b.WriteString("/>\n")
		case len(e.kids) == 0:
			b.WriteString(">" + escape(text, false) + "</" + e.name + ">\n")
		default:
			b.WriteString(">\n")
			for _, k := range e.kids {
				write(k, indent+"  ")
			}
			b.WriteString(indent + "</" + e.name + ">\n")
		}
	}
	write(root, "")
	return b.String(), nil
}

func escape(s string, attr bool) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	s = r.Replace(s)
	if attr {
		s = strings.ReplaceAll(s, "'", "&apos;")
	}
	return s
}
