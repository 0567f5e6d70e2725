package xen

import (
	"fmt"
	"strings"
)

// Sexp is one value of xend's S-expression format (xen/xend/sxp.py): an
// atom or a list.
type Sexp struct {
	Atom   string
	List   []Sexp
	IsList bool
}

// Name is a list's first atom ("domain", "vbd"), or "".
func (s Sexp) Name() string {
	if !s.IsList || len(s.List) == 0 || s.List[0].IsList {
		return ""
	}
	return s.List[0].Atom
}

// Children are the lists inside s named name.
func (s Sexp) Children(name string) []Sexp {
	var out []Sexp
	for _, c := range s.List {
		if c.Name() == name {
			out = append(out, c)
		}
	}
	return out
}

// Value is the atom of the first (name VALUE) child, and whether there
// is exactly one such atom.
func (s Sexp) Value(name string) (string, bool) {
	for _, c := range s.Children(name) {
		if len(c.List) == 2 && !c.List[1].IsList {
			return c.List[1].Atom, true
		}
		if len(c.List) == 1 { // sxp.py prints an empty value as "(name )"
			return "", true
		}
		return "", false
	}
	return "", false
}

// maxDepth bounds nesting: xm's deepest is (domain (device (vbd (x y))))
// and (image (linux (notes ...))); a bound keeps hostile input off the stack.
const maxDepth = 32

// ParseSexp reads every top-level value of xend's S-expression text: atoms
// of printable characters, strings in ' or " with sxp.py's escapes, # to
// the end of the line a comment. It refuses what sxp.py would not read
// (unbalanced parentheses, unterminated strings, control characters) and,
// more strictly than sxp.py, escapes it does not know.
func ParseSexp(data []byte) ([]Sexp, error) {
	p := sexpReader{s: string(data)}
	var out []Sexp
	for {
		p.skip()
		if p.i >= len(p.s) {
			return out, nil
		}
		v, err := p.value(0)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

type sexpReader struct {
	s string
	i int
}

func (p *sexpReader) errf(format string, args ...any) error {
	line := 1 + strings.Count(p.s[:p.i], "\n")
	return fmt.Errorf("s-expression line %d: "+format, append([]any{line}, args...)...)
}

func (p *sexpReader) skip() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			p.i++
		case c == '#':
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *sexpReader) value(depth int) (Sexp, error) {
	if depth > maxDepth {
		return Sexp{}, p.errf("nested deeper than %d lists", maxDepth)
	}
	switch c := p.s[p.i]; {
	case c == '(':
		p.i++
		l := Sexp{IsList: true}
		for {
			p.skip()
			if p.i >= len(p.s) {
				return Sexp{}, p.errf("unexpected end of input: a list is not closed")
			}
			if p.s[p.i] == ')' {
				p.i++
				return l, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return Sexp{}, err
			}
			l.List = append(l.List, v)
		}
	case c == ')':
		return Sexp{}, p.errf("unexpected ')'")
	case c == '\'' || c == '"':
		return p.str(c)
	case c > ' ' && c < 0x7f:
		start := p.i
		for p.i < len(p.s) && p.s[p.i] > ' ' && p.s[p.i] < 0x7f && !strings.ContainsRune("()'\"#", rune(p.s[p.i])) {
			p.i++
		}
		return Sexp{Atom: p.s[start:p.i]}, nil
	default:
		return Sexp{}, p.errf("invalid character %q", c)
	}
}

var sexpEscapes = map[byte]byte{'a': '\a', 'b': '\b', 't': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r', '\\': '\\', '\'': '\'', '"': '"'}

// str reads a quoted string: sxp.py's escapes, \xHH and \OOO (Python's
// repr, which sxp.show uses for strings that are not atoms, prints these).
func (p *sexpReader) str(delim byte) (Sexp, error) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == delim:
			return Sexp{Atom: b.String()}, nil
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		if d, ok := sexpEscapes[e]; ok {
			b.WriteByte(d)
			continue
		}
		n, base, width := 0, 8, 3
		if e == 'x' {
			base, width = 16, 2
		} else if e < '0' || e > '7' {
			return Sexp{}, p.errf("unknown escape \\%c in a string", e)
		} else {
			p.i-- // the first octal digit is part of the number
		}
		digits := 0
		for digits < width && p.i < len(p.s) && digitVal(p.s[p.i], base) >= 0 {
			n = n*base + digitVal(p.s[p.i], base)
			p.i++
			digits++
		}
		if digits == 0 || n > 0xff || (base == 16 && digits != 2) {
			return Sexp{}, p.errf("bad numeric escape in a string")
		}
		b.WriteByte(byte(n))
	}
	return Sexp{}, p.errf("unexpected end of input: a string is not closed")
}

func digitVal(c byte, base int) int {
	switch {
	case c >= '0' && c <= '7':
		return int(c - '0')
	case base == 16 && c >= '8' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
