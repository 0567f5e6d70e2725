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
