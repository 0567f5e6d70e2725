package repl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

const (
	prettyWidth = 100  // a value whose repr fits stays on one line
	maxLines    = 60   // longer results are cut to headLines
	headLines   = 40   //
	maxLineLen  = 4000 // a longer line (a huge string) is cut too
)

// Abbreviate cuts a long rendering to its head and says how to see it all.
// The note is empty when nothing was cut.
func Abbreviate(text string) (string, string) {
	lines := strings.Split(text, "\n")
	cut := false
	for i, l := range lines {
		if len(l) > maxLineLen {
			n := maxLineLen
			for n > 0 && !utf8.RuneStart(l[n]) {
				n--
			}
			lines[i] = l[:n] + " …"
			cut = true
		}
	}
	more := 0
	if len(lines) > maxLines {
		more = len(lines) - headLines
		lines = lines[:headLines]
		cut = true
	}
	if !cut {
		return text, ""
	}
	note := "(abbreviated"
	if more > 0 {
		note += fmt.Sprintf(": %d more lines", more)
	}
	return strings.Join(lines, "\n"), note + "; the value is in _: :full shows it all, print(_) prints it as text)"
}
