package starutil

import (
	"errors"
	"testing"

	"go.starlark.net/starlark"
)

// Cycles through any mix of containers are errors; a value shared by two
// branches (no cycle) is not; depth and size are bounded.
func TestFromValueBounds(t *testing.T) {
	list := starlark.NewList(nil)
	dict := starlark.NewDict(1)
	_ = dict.SetKey(starlark.String("l"), list)
	_ = list.Append(starlark.Tuple{dict}) // list -> tuple -> dict -> list
	if _, err := FromValue(list); !errors.Is(err, ErrCycle) {
		t.Errorf("cycle through a tuple and a dict: %v", err)
	}
	shared := starlark.NewList([]starlark.Value{starlark.MakeInt(1)})
	if v, err := FromValue(starlark.NewList([]starlark.Value{shared, shared})); err != nil || len(v.([]any)) != 2 {
		t.Errorf("shared list: %v, %v", v, err)
	}
	var deep starlark.Value = starlark.None
	for i := 0; i < MaxNesting+1; i++ {
		deep = starlark.NewList([]starlark.Value{deep})
	}
	if _, err := FromValue(deep); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep: %v", err)
	}
	// 4096^2 = 2^24 leaves from a few kB: too large to convert.
	row := make([]starlark.Value, 4096)
	for i := range row {
		row[i] = starlark.MakeInt(i)
	}
	r := starlark.NewList(row)
	rows := make([]starlark.Value, 4097)
	for i := range rows {
		rows[i] = r
	}
	if _, err := FromValue(starlark.NewList(rows)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("large: %v", err)
	}
	nested := []any{}
	var x any = nested
	for i := 0; i < MaxNesting+1; i++ {
		x = []any{x}
	}
	if _, err := ToValue(x); !errors.Is(err, ErrTooDeep) {
		t.Errorf("ToValue deep: %v", err)
	}
}
