package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatIsStable: formatting is buildifier's, idempotent, and refuses
// what vrun's dialect would not run.
func TestFormatIsStable(t *testing.T) {
	out, err := Format("u.star", []byte("def f( a,b = 1 ):\n  return a+b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "def f(a, b = 1):\n    return a + b\n"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	again, err := Format("u.star", out)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("not idempotent: %q, %v", again, err)
	}
	for _, bad := range []string{"def f(:\n", "x = 1\x00\n", "def f():\n\treturn 1\n  return 2\n"} {
		if _, err := Format("bad.star", []byte(bad)); err == nil {
			t.Errorf("%q formatted without an error", bad)
		}
	}
}

// TestShippedFilesFormatted keeps the standard library, the recipes, their
// tests and their library as vrun fmt writes them.
func TestShippedFilesFormatted(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../stdlib/*.star", "../../recipes/*.star", "../../recipes/lib/*.star"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Format(f, src)
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if !bytes.Equal(out, src) {
			t.Errorf("%s is not formatted: run vrun fmt -w %s", f, strings.TrimPrefix(f, "../../"))
		}
	}
}
