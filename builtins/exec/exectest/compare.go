package exectest

import (
	"encoding/json"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Normalized renders the named globals of a scenario as JSON without the
// fields that differ by nature between a real host and the simulator
// (uuids, say), so the two runs of one scenario compare as text.
func Normalized(t testing.TB, g starlark.StringDict, drop []string, names ...string) string {
	t.Helper()
	out := map[string]any{}
	for _, n := range names {
		v, err := starutil.FromValue(g[n])
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out[n] = strip(v, drop)
	}
	b, _ := json.MarshalIndent(out, "", " ")
	return string(b)
}

func strip(v any, drop []string) any {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range drop {
			delete(v, k)
		}
		for k, x := range v {
			v[k] = strip(x, drop)
		}
	case []any:
		for i, x := range v {
			v[i] = strip(x, drop)
		}
	}
	return v
}
