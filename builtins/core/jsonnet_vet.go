package core

import (
	"fmt"
	"strings"
)

// Bounds on Jsonnet source. go-jsonnet parses and evaluates by Go
// recursion, and a Go stack overflow kills the process outright (no
// recover): 10^5 nested brackets or 10^6 chained locals do it. These
// bounds stay well below what crashes and well above real templates.
const (
	maxJsonnetNesting = 1000
	maxJsonnetTokens  = 200000
	// Frames of Jsonnet calls and thunks: 20 times go-jsonnet's default
	// (500), for the recursion tailstrict used to allow; 10^5 still
	// stays clear of the Go stack's limit.
	maxJsonnetFrames = 10000
)

// vetJsonnet scans source as Jsonnet's lexer does (strings, text blocks,
// comments), bounds its nesting and size, and blanks out the tailstrict
// keyword: a tailstrict call drops its Jsonnet frame but not its Go frame,
// so MaxStack never stops `f(n - 1) tailstrict` before the Go stack
// overflows. Without the keyword, arguments are lazy (the same result for
// any program that terminates) and deep recursion is the usual "max stack
// frames exceeded" error. Positions in errors are kept.
func vetJsonnet(src string) (string, error) {
	out := []byte(src)
	depth, tokens := 0, 0
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '#' || strings.HasPrefix(src[i:], "//"):
			i = skipTo(src, i, "\n")
			continue
		case strings.HasPrefix(src[i:], "/*"):
			i = skipTo(src, i+2, "*/")
			continue
		case strings.HasPrefix(src[i:], "|||"):
			i = skipTextBlock(src, i)
		case c == '"' || c == '\'':
			i = skipString(src, i+1, c, true)
		case c == '@' && i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\''):
			i = skipString(src, i+2, src[i+1], false)
		case isIdentStart(c):
			j := i
			for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			if src[i:j] == "tailstrict" {
				copy(out[i:j], strings.Repeat(" ", j-i))
			}
			i = j
		case c >= '0' && c <= '9':
			for i < len(src) && (isIdentStart(src[i]) || src[i] >= '0' && src[i] <= '9' || src[i] == '.') {
				i++
			}
		default:
			switch c {
			case '(', '[', '{':
				if depth++; depth > maxJsonnetNesting {
					return "", fmt.Errorf("source nested more than %d brackets deep", maxJsonnetNesting)
				}
			case ')', ']', '}':
				depth--
			}
			i++
		}
		if tokens++; tokens > maxJsonnetTokens {
			return "", fmt.Errorf("source longer than %d tokens: split it into imported files", maxJsonnetTokens)
		}
	}
	return string(out), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// skipTo returns the index just past the next end at or after i (or the
// end of src).
func skipTo(src string, i int, end string) int {
	if j := strings.Index(src[i:], end); j >= 0 {
		return i + j + len(end)
	}
	return len(src)
}

// skipString returns the index past the closing quote; escapes are
// backslashes, or a doubled quote in @verbatim strings.
func skipString(src string, i int, quote byte, escapes bool) int {
	for i < len(src) {
		switch {
		case escapes && src[i] == '\\':
			i += 2
		case src[i] == quote:
			if !escapes && i+1 < len(src) && src[i+1] == quote {
				i += 2
				continue
			}
			return i + 1
		default:
			i++
		}
	}
	return len(src)
}

// skipTextBlock skips a ||| text block: up to a line whose first
// non-blank characters are |||.
func skipTextBlock(src string, i int) int {
	i = skipTo(src, i+3, "\n")
	for i < len(src) {
		line := src[i:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		if strings.HasPrefix(strings.TrimLeft(line, " \t"), "|||") {
			return i + strings.Index(line, "|||") + 3
		}
		i += len(line) + 1
	}
	return len(src)
}
