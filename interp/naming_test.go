package interp_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// A builtin returns its bare message; the registry names it once, the
// backtrace shows it once, and errors.Is still sees the cause.
func TestBuiltinErrorsNamedOnce(t *testing.T) {
	mod := &starutil.Module{Name: "demo", Doc: "d", Funcs: []starutil.Func{
		{Name: "open", Params: "(path)", Doc: "d", Impl: func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var path string
			if err := starutil.Unpack(b, args, kwargs, "path", &path); err != nil {
				return nil, err
			}
			return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}},
	}}
	entries := append(builtins.All(), builtins.Entry{Module: mod})
	for _, tc := range []struct{ src, last string }{
		{`demo.open("/x")`, "Error in demo.open: open /x: file does not exist"},
		{`demo.open()`, "Error in demo.open: missing argument for path"},
		{`fail("stop")`, "Error: stop"},
		{`len(1)`, "Error in len: value of type int has no len"},
	} {
		in := interp.MustNew(interp.Options{Sim: true, Entries: entries, Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
		_, err := in.ExecFile(in.Thread("t"), "t.star", []byte(tc.src))
		if err == nil {
			t.Fatalf("%s: no error", tc.src)
		}
		out := interp.Render(err)
		if last := out[strings.LastIndex(out, "\n")+1:]; last != tc.last {
			t.Errorf("%s: last line %q, want %q", tc.src, last, tc.last)
		}
		if tc.src == `demo.open("/x")` {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("errors.Is lost the cause through the registry")
			}
			if got := err.Error(); got != "demo.open: open /x: file does not exist" {
				t.Errorf("Error() = %q, want the name once", got)
			}
		}
	}
}
