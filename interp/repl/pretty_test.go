package repl_test

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/interp/repl"
)

func TestPretty(t *testing.T) {
	long := starlark.String(strings.Repeat("x", 90))
	lv := starlarkstruct.FromStringDict(starlark.String("lvm.lv"), starlark.StringDict{"name": starlark.String("data"), "note": long})
	dict := starlark.NewDict(1)
	dict.SetKey(starlark.String("lvs"), starlark.NewList([]starlark.Value{lv}))
	cases := []struct {
		v    starlark.Value
		want string
	}{
		{starlark.MakeInt(3), "3"},
		{starlark.String("a\nb"), `"a\nb"`},
		{starlark.NewList([]starlark.Value{starlark.MakeInt(1), starlark.String("x")}), `[1, "x"]`},
		{starlark.Tuple{long, long}, "(\n    \"" + string(long) + "\",\n    \"" + string(long) + "\",\n)"},
		{dict, "{\n    \"lvs\": [\n        lvm.lv(\n            name = \"data\",\n            note = \"" + string(long) + "\",\n        ),\n    ],\n}"},
	}
	for _, c := range cases {
		if got := repl.Pretty(c.v); got != c.want {
			t.Errorf("Pretty(%s) =\n%s\nwant\n%s", c.v, got, c.want)
		}
	}
}

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
