package repl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// lit is a string literal found by scanText: its decoded value, where its
// text starts (the quote) and ends (len(src) or a newline when it is not
// closed), and the quote that closes it.
type lit struct {
	value      string
	start, end int
	closing    string
	closed     bool
}

// scanText finds the string literals of Starlark source that may not
// parse (a syntax error, a statement abandoned half-way), as Starlark's
// scanner reads them: comments skipped, r"..." raw, escapes decoded. It
// also returns the brackets left open, innermost last.
func scanText(src string) (lits []lit, open []byte) {
	for i := 0; i < len(src); {
		switch c := src[i]; c {
		case '#':
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
		case '(', '[', '{':
			open = append(open, c)
			i++
		case ')', ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			i++
		case '"', '\'':
			l := scanLit(src, i, rawPrefix(src[:i]))
			lits = append(lits, l)
			i = l.end
		default:
			i++
		}
	}
	return lits, open
}

// rawPrefix reports whether the identifier just before a quote makes the
// literal raw: r"..." or rb"..." (br"..." too, though Starlark rejects it).
func rawPrefix(before string) bool {
	j := len(before)
	for j > 0 && (before[j-1] == '_' || before[j-1] >= 'a' && before[j-1] <= 'z' ||
		before[j-1] >= 'A' && before[j-1] <= 'Z' || before[j-1] >= '0' && before[j-1] <= '9') {
		j--
	}
	p := before[j:]
	return p == "r" || p == "rb" || p == "br"
}

// scanLit reads the literal whose quote is at src[i]. A single-quoted one
// ends at its quote or (unclosed) at a newline; a triple-quoted one at its
// closing triple or the end of src.
func scanLit(src string, i int, raw bool) lit {
	q := src[i]
	triple := strings.HasPrefix(src[i:], strings.Repeat(string(q), 3))
	start, closing := i+1, string(q)
	if triple {
		start, closing = i+3, strings.Repeat(string(q), 3)
	}
	j := start
	for j < len(src) {
		switch {
		case src[j] == '\\':
			j += 2
			continue
		case strings.HasPrefix(src[j:], closing):
			return lit{value: decode(src[start:j], raw), start: i, end: j + len(closing), closing: closing, closed: true}
		case src[j] == '\n' && !triple:
			return lit{value: decode(src[start:j], raw), start: i, end: j, closing: closing}
		}
		j++
	}
	return lit{value: decode(src[start:min(j, len(src))], raw), start: i, end: len(src), closing: closing}
}

// decode is Starlark's unquoting of a literal's body, lenient: an escape
// Starlark would reject is kept as written instead of failing.
func decode(body string, raw bool) string {
	if raw {
		return strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		c := body[i]
		if c == '\r' {
			b.WriteByte('\n')
			i++
			if i < len(body) && body[i] == '\n' {
				i++
			}
			continue
		}
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			i++
			continue
		}
		n := escape(&b, body[i:])
		if n == 0 { // not an escape Starlark knows: as written
			b.WriteByte(c)
			n = 1
		}
		i += n
	}
	return b.String()
}

// One-character escapes: escFrom[i] stands for escTo[i].
const escFrom, escTo = "abfnrtv\\'\"", "\a\b\f\n\r\t\v\\'\""

// escape writes the value of the escape sequence at the start of s (which
// begins with a backslash) and returns its length, or 0 if it is invalid.
func escape(b *strings.Builder, s string) int {
	switch e := s[1]; {
	case e == '\n':
		return 2
	case strings.IndexByte(escFrom, e) >= 0:
		b.WriteByte(escTo[strings.IndexByte(escFrom, e)])
		return 2
	case e >= '0' && e <= '7':
		n, k := 0, 1
		for ; k < 4 && k < len(s) && s[k] >= '0' && s[k] <= '7'; k++ {
			n = n*8 + int(s[k]-'0')
		}
		if n > 255 {
			return 0
		}
		b.WriteByte(byte(n))
		return k
	case e == 'x':
		if len(s) < 4 {
			return 0
		}
		n, err := strconv.ParseUint(s[2:4], 16, 8)
		if err != nil {
			return 0
		}
		b.WriteByte(byte(n))
		return 4
	case e == 'u' || e == 'U':
		size := 6
		if e == 'U' {
			size = 10
		}
		if len(s) < size {
			return 0
		}
		n, err := strconv.ParseUint(s[2:size], 16, 32)
		if err != nil || !utf8.ValidRune(rune(n)) {
			return 0
		}
		b.WriteRune(rune(n))
		return size
	}
	return 0
}
