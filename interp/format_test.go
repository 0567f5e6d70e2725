package interp_test

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/interp"
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
		if got := interp.Pretty(c.v, 100); got != c.want {
			t.Errorf("Pretty(%s) =\n%s\nwant\n%s", c.v, got, c.want)
		}
	}
}

// A dict holding another twice, 30 levels deep, is a billion leaves: the
// text stops at interp.MaxRender instead of filling the memory.
func TestRenderBounded(t *testing.T) {
	var v starlark.Value = starlark.String("leaf")
	for i := 0; i < 30; i++ {
		d := starlark.NewDict(2)
		d.SetKey(starlark.String("a"), v)
		d.SetKey(starlark.String("b"), v)
		v = d
	}
	if got := interp.Pretty(v, 80); len(got) > interp.MaxRender+1<<20 || !strings.Contains(got, "... (truncated at 64 MiB)") {
		t.Errorf("Pretty: %d bytes", len(got))
	}
	if _, err := interp.JSON(v); err == nil || !strings.Contains(err.Error(), "value too large") {
		t.Errorf("JSON: %v", err)
	}
	cyc := starlark.NewList(nil)
	cyc.Append(cyc)
	if _, err := interp.JSON(starlark.NewList([]starlark.Value{cyc})); err == nil || !strings.Contains(err.Error(), "value contains itself") {
		t.Errorf("JSON of a cycle: %v", err)
	}
	if got := interp.Pretty(cyc, 80); got != "[[...]]" {
		t.Errorf("Pretty of a cycle: %q", got)
	}
}
