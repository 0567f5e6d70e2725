package interp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
	"github.com/bazelbuild/buildtools/warn"
)

// TestLintWarnings: the recipe-relevant buildifier warnings come out as
// file:line:col with their name; a disabling comment silences one.
func TestLintWarnings(t *testing.T) {
	src := `load("b.star", "y")
load("a.star", "x", "unused_load")

limit = 1
limit = 2

def f(n):
    total = n * 2
    return x(n, y, limit)

def g():
    skipped = 3  # buildifier: disable=unused-variable
    return 1
`
	var got []string
	for _, p := range Lint("w.star", []byte(src)) {
		got = append(got, p.String())
	}
	want := []string{
		`w.star:1:1: load of "b.star" should come after "a.star", as vrun fmt sorts loads (out-of-order-load)`,
		`w.star:2:22: Loaded symbol "unused_load" is unused. Please remove it.`,
		`w.star:5:1: Variable "limit" has already been defined. `,
		`w.star:8:5: Variable "total" is unused. Please remove it. (unused-variable)`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
	if !strings.HasSuffix(got[1], "(load)") || !strings.HasSuffix(got[2], "(redefined-variable)") {
		t.Errorf("warning names missing: %q, %q", got[1], got[2])
	}
	sorted := "load(\"a.star\", \"x\")\nload(\"b.star\", \"y\")\n\nprint(x, y)\n"
	if ps := Lint("s.star", []byte(sorted)); len(ps) != 0 {
		t.Errorf("sorted loads warned: %v", ps)
	}
}

// TestShippedFilesLintClean keeps the recipes, their library and the
// standard library free of the warnings vrun check prints.
func TestShippedFilesLintClean(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../stdlib/*.star", "../recipes/*.star", "../recipes/lib/*.star"} {
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
		for _, p := range Lint(f, src) {
			t.Errorf("%s", p)
		}
	}
}

// TestLintFilesFollowsRelativeLoads: a recipe's own library is linted with
// it, once even when loads form a cycle; @stdlib// is not.
func TestLintFilesFollowsRelativeLoads(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.star", "load(\"@stdlib//retry.star\", \"retry\")\nload(\"lib.star\", \"h\")\n\ndef main():\n    return retry(h)\n")
	write("lib.star", "load(\"main.star\", \"main\")\n\ndef h():\n    unused = 1\n    return main\n")
	in, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := in.LintFiles([]string{filepath.Join(dir, "main.star")})
	if len(ps) != 1 || !strings.Contains(fmt.Sprint(ps[0]), "lib.star:4:5: Variable \"unused\" is unused") {
		t.Errorf("got %v, want lib.star's unused variable only", ps)
	}
}

// TestLintDisablingMatchesBuildifier: Lint's own reading of "buildifier:
// disable=" comments (buildifier's walks the file per finding, a minute
// for a generated file) silences exactly what buildifier's does.
func TestLintDisablingMatchesBuildifier(t *testing.T) {
	for _, src := range []string{
		"def f():  # buildifier: disable=unused-variable\n    a = 1\n    return 2\n",
		"# buildifier: disable=unused-variable\ndef f():\n    a = 1\n    b = 2\n    return 3\n",
		"def f():\n    a = 1\n    # buildifier: disable=unused-variable\n    b = 2\n    return 3\n",
		"x = 1\nx = 2  # buildozer: disable=redefined-variable\nx = 3\n",
		"load(\"a.star\", \"y\")  # buildifier: disable=load\ndef f():\n    return 1\n    g()  # buildifier: disable=unused-variable\n",
		strings.Repeat("x = 1\n", 50) + "def f():\n    l = 1\n    return l\n",
	} {
		f, err := build.ParseDefault("d.star", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, w := range warn.FileWarnings(f, LintWarnings, nil, warn.ModeWarn, nil) {
			want = append(want, fmt.Sprintf("d.star:%d:%d (%s)", w.Start.Line, w.Start.LineRune, w.Category))
		}
		var got []string
		for _, p := range Lint("d.star", []byte(src)) {
			got = append(got, fmt.Sprintf("%s (%s)", p.Pos, p.Msg[strings.LastIndex(p.Msg, "(")+1:len(p.Msg)-1]))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\n got %v\nwant %v", src, got, want)
		}
	}
}
