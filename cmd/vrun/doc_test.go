package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocEscapesDocstrings: an ESC sequence in a shared recipe's or
// library's docstring is shown as text, not sent to the terminal.
func TestDocEscapesDocstrings(t *testing.T) {
	dir := t.TempDir()
	recipe := filepath.Join(dir, "r.star")
	lib := filepath.Join(dir, "l.star")
	write := func(p, src string) {
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(recipe, "def main(n = 1):\n    \"\"\"Top \x1b[31mred.\n\n    n: a \x1b]0;title\x07 number\n    \"\"\"\n    return n\n\ndef helper():\n    \"\"\"Helps \x1b[2J.\"\"\"\n")
	write(lib, "def f():\n    \"\"\"Lib \x1b[2J.\"\"\"\n")
	for _, file := range []string{recipe, lib} {
		var out, errb strings.Builder
		if code := cmdDoc([]string{file}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", file, code, errb.String())
		}
		if strings.ContainsAny(out.String(), "\x1b\x07") {
			t.Errorf("%s: raw control characters in:\n%q", file, out.String())
		}
		if !strings.Contains(out.String(), `\x1b[2J.`) {
			t.Errorf("%s: the docstring is not shown escaped:\n%s", file, out.String())
		}
	}
}
