package core_test

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/core"
)

func TestCompileJQ(t *testing.T) {
	cases := []struct {
		filter string
		vars   []string
		want   string // "" for no error, else a substring of it
	}{
		{".a[] | select(.name == $name) | .id", []string{"name"}, ""},
		{"$x + $y", []string{"$x", "y"}, ""},
		{".", nil, ""},
		{".a | $name", nil, "variable not defined: $name"},
		{".a[", nil, `invalid filter ".a["`},
		{"nosuchfn(1)", nil, "function not defined: nosuchfn/1"},
	}
	for _, c := range cases {
		err := core.CompileJQ(c.filter, c.vars)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("CompileJQ(%q, %q) = %v, want no error", c.filter, c.vars, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("CompileJQ(%q, %q) = %v, want an error containing %q", c.filter, c.vars, err, c.want)
		}
	}
}
