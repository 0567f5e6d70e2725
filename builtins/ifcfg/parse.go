package ifcfg

import (
	"fmt"
	"strings"
)

// Parse reads an ifcfg file as bash sources it, for the forms such files
// use: KEY=value, KEY="value" (with \ escapes), KEY='value', comments and
// blank lines. Anything else (a command, an unterminated quote) is an
// error naming the line: vrun will not guess what a script does.
func Parse(text string) ([]Key, error) {
	var out []Key
	for n, line := range strings.Split(text, "\n") {
		s := strings.TrimSpace(line)
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		s = strings.TrimPrefix(s, "export ")
		k, raw, ok := strings.Cut(s, "=")
		if !ok || !shellName(k) {
			return nil, fmt.Errorf("line %d: %q is not KEY=value", n+1, line)
		}
		v, err := unquote(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		out = append(out, Key{k, v})
	}
	return out, nil
}

func shellName(k string) bool {
	if k == "" || k[0] >= '0' && k[0] <= '9' {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// unquote reads one shell word made of bare, '...' and "..." parts; a
// trailing comment after whitespace is dropped.
func unquote(raw string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(raw[i+1:], '\'')
			if j < 0 {
				return "", fmt.Errorf("unterminated ' in %q", raw)
			}
			b.WriteString(raw[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			i++
			for ; i < len(raw) && raw[i] != '"'; i++ {
				if raw[i] == '\\' && i+1 < len(raw) && strings.IndexByte("\\\"$`", raw[i+1]) >= 0 {
					i++
				} else if raw[i] == '$' || raw[i] == '`' {
					return "", fmt.Errorf("expansion in %q: vrun reads only literal values", raw)
				}
				b.WriteByte(raw[i])
			}
			if i >= len(raw) {
				return "", fmt.Errorf("unterminated \" in %q", raw)
			}
		case c == ' ' || c == '\t':
			if rest := strings.TrimSpace(raw[i:]); rest != "" && !strings.HasPrefix(rest, "#") {
				return "", fmt.Errorf("%q is more than one word", raw)
			}
			return b.String(), nil
		case c == '\\' && i+1 < len(raw):
			i++
			b.WriteByte(raw[i])
		case c == '$' || c == '`' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')':
			return "", fmt.Errorf("shell syntax %q in %q: vrun reads only literal values", c, raw)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
