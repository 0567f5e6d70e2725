package repl_test

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp/repl"
)

func TestAbbreviate(t *testing.T) {
	short := "line\nline"
	if got, note := repl.Abbreviate(short); got != short || note != "" {
		t.Errorf("short text changed: %q, %q", got, note)
	}
	long := strings.Repeat("line\n", 99) + "end"
	got, note := repl.Abbreviate(long)
	if strings.Count(got, "\n") != 39 || !strings.Contains(note, "60 more lines") {
		t.Errorf("100 lines → %d lines, note %q", strings.Count(got, "\n")+1, note)
	}
	wide := strings.Repeat("y", 10000)
	if got, note := repl.Abbreviate(wide); len(got) > 4100 || note == "" {
		t.Errorf("a 10000-character line kept %d characters, note %q", len(got), note)
	}
}
