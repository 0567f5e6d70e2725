package repl_test

import (
	"reflect"
	"testing"

	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/interp/repl"
)

// The literal scanner decodes as Starlark does, for every spelling a
// string can take.
func TestLiteralsDecodeAsStarlark(t *testing.T) {
	for _, src := range []string{
		`"S3cr3t\x2bK3y/Zq=="`, `'S3cr3t\053K3y'`, `"\u002b\U0000002b\x41"`, `r"a\x2b\"b"`, `rb'a\'b'`,
		`b"\x2b\101"`, `"""a"b""c\n"""`, `'''x\'''y'''`, `"tab\there\\\""`, "\"a\\\nb\"", `"é\u00e9"`, `""`,
		`"\a\b\f\v\r"`, "r'''raw\\n\nline'''",
	} {
		e, err := syntax.ParseExpr("", src, 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		want := e.(*syntax.Literal).Value.(string) // bytes literals hold a string too
		if got := repl.Literals("x = " + src + " # \"not\" a literal"); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}

// Text that does not parse still has its literals read: unclosed, with
// escapes Starlark rejects, across lines.
func TestLiteralsOfBrokenText(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{`x = "S3cr3t\x2bK3y`, []string{"S3cr3t+K3y"}},
		{`x = "a\qb" "c\x4`, []string{`a\qb`, `c\x4`}},
		{"x = ('ab' +\n  'cd' x", []string{"ab", "cd"}},
		{`x = """open` + "\n" + `still\x41`, []string{"open\nstillA"}},
		{`# "comment" only`, []string{}},
	} {
		if got := repl.Literals(c.src); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}
