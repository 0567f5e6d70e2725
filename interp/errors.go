package interp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

func isResolveList(err error) bool {
	var el resolve.ErrorList
	return errors.As(err, &el)
}

// Render formats an error for the operator: a Starlark backtrace with
// file:line:col for run-time errors (deep recursion keeps its first and
// last frames), one file:line:col: line per static problem, the message
// alone otherwise. Control characters are escaped (see Escape): a
// message may quote argv or a tool's stderr, which must not drive the
// terminal.
func Render(err error) string {
	return Escape(clip(render(err), maxErrorText))
}

// maxErrorText bounds a rendered error: fail("x" * 10**7) or a tool's
// megabyte-long stderr line is not read on a terminal.
const maxErrorText = 64 << 10

// clip keeps the start and the end of an over-long text.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head, tail := s[:max/2], s[len(s)-max/4:]
	return fmt.Sprintf("%s\n... (%d bytes omitted)\n%s", strings.ToValidUTF8(head, ""), len(s)-len(head)-len(tail), strings.ToValidUTF8(tail, ""))
}

func render(err error) string {
	var ee *starlark.EvalError
	var el resolve.ErrorList
	var se syntax.Error
	switch {
	case errors.As(err, &ee):
		return strings.TrimRight(backtrace(ee), "\n")
	case errors.As(err, &el):
		lines := make([]string, len(el))
		for i, e := range el {
			lines[i] = fmt.Sprintf("%s: %s", e.Pos, e.Msg)
		}
		return strings.Join(lines, "\n")
	case errors.As(err, &se):
		return fmt.Sprintf("%s: %s", se.Pos, se.Msg)
	}
	return err.Error()
}

// Frames of a backtrace kept at each end when it is longer than
// 2*keepFrames+1: runaway recursion would print one line per call.
const keepFrames = 10

// backtrace is EvalError.Backtrace with the middle of a long stack left
// out.
func backtrace(e *starlark.EvalError) string {
	stack := e.CallStack
	suffix, msg := "", e.Msg
	if last := len(stack) - 1; last >= 0 && stack[last].Pos.Filename() == "<builtin>" {
		suffix, msg = builtinLine(stack[last].Name, e)
		stack = stack[:last]
	}
	var b strings.Builder
	if len(stack) > 0 {
		b.WriteString("Traceback (most recent call last):\n")
	}
	for i, fr := range stack {
		if len(stack) > 2*keepFrames+1 && i >= keepFrames && i < len(stack)-keepFrames {
			if i == keepFrames {
				fmt.Fprintf(&b, "  ... %d frames omitted\n", len(stack)-2*keepFrames)
			}
			continue
		}
		fmt.Fprintf(&b, "  %s: in %s\n", fr.Pos, fr.Name)
	}
	fmt.Fprintf(&b, "Error%s: %s", suffix, msg)
	return b.String()
}

// builtinLine is the " in NAME" and message of the last line when a
// builtin failed. vrun's builtins name their errors once (starutil.Error),
// so the name comes from the error, not from its text. Starlark's own
// builtins put their name in front of the message by the library's
// convention ("len: value of type int has no len"), and fail() writes
// "fail: ": both are shown once, fail's as a plain "Error: msg".
func builtinLine(frame string, e *starlark.EvalError) (suffix, msg string) {
	var se *starutil.Error
	if errors.As(e.Unwrap(), &se) && se.Builtin == frame {
		return " in " + frame, se.Msg()
	}
	msg = strings.TrimPrefix(e.Msg, frame+": ")
	if frame == "fail" {
		return "", msg
	}
	return " in " + frame, msg
}

// Escape makes text safe to print on a terminal: control characters other
// than newline and tab, bidirectional overrides and invalid UTF-8 are
// written as Go escapes (\x1b, \r, \u202e), so ESC sequences from argv or
// a tool's stderr show as text instead of acting on the terminal.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case needsEscape(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r == utf8.RuneError, unicode.IsControl(r):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi overrides
		return true
	}
	return false
}
