package repl_test

import (
	"slices"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/vrun-dev/vrun/interp/repl"
)

func TestCompleteGlobalsAndKeywords(t *testing.T) {
	h := newSession(t, "volume_name = 'x'\n", nil)
	h.run()
	cases := []struct {
		line string
		want []string
	}{
		{"vol", []string{"volume_name"}},
		{"si", []string{"size"}},
		{"x = le", []string{"len"}},
		{"wh", []string{"while"}},
		{"3", nil},
	}
	for _, c := range cases {
		head, got, tail := h.s.Complete(c.line, len(c.line))
		if !slices.Equal(got, c.want) || tail != "" || !strings.HasPrefix(c.line, head) {
			t.Errorf("Complete(%q) = %q, %q, %q; want candidates %q", c.line, head, got, tail, c.want)
		}
	}
}

func TestCompleteModuleMembers(t *testing.T) {
	h := newSession(t, "", nil)
	head, got, tail := h.s.Complete("x = json.en(y)", len("x = json.en"))
	if head != "x = " || tail != "(y)" || !slices.Equal(got, []string{"json.encode", "json.encode_indent"}) {
		t.Errorf("Complete = %q, %q, %q", head, got, tail)
	}
	if _, got, _ := h.s.Complete("wait.", 5); !slices.Contains(got, "wait.until") {
		t.Errorf("wait. → %q", got)
	}
	if _, got, _ := h.s.Complete("nosuch.x", 8); got != nil {
		t.Errorf("undefined base completed to %q", got)
	}
}

func TestCompleteValueAttributes(t *testing.T) {
	h := newSession(t, "", nil)
	h.s.Globals()["vol"] = starlarkstruct.FromStringDict(starlarkstruct.Default, starlark.StringDict{
		"name": starlark.String("data"), "size": starlark.MakeInt(1 << 30), "_hidden": starlark.None,
	})
	if _, got, _ := h.s.Complete("vol.", 4); !slices.Equal(got, []string{"vol.name", "vol.size"}) {
		t.Errorf("vol. → %q", got)
	}
	if _, got, _ := h.s.Complete("'abc'.up", 8); !slices.Equal(got, []string{"'abc'.upper"}) && got != nil {
		t.Errorf("string literal method → %q", got)
	}
	if _, got, _ := h.s.Complete("[1].app", 7); got != nil {
		t.Errorf("completion evaluated a literal: %q", got)
	}
}

func TestCompleteKeywordArguments(t *testing.T) {
	h := newSession(t, "def mk(name, size = 1, *rest, **kw):\n    pass\n\n", nil)
	h.run()
	// Keyword arguments of the open call come first, then names as usual.
	cases := []struct {
		line, want string // want: the first candidate, "" for no keyword
	}{
		{`jq(v, ".x", a`, "all = "},
		{`x = json.decode("{}", d`, "default = "},
		{`mk("a", s`, "size = "},
		{`mk("(", si`, "size = "},
		{`mk(1)  # run(s`, ""},
		{`mk(1) + len(s`, ""},
	}
	for _, c := range cases {
		_, got, _ := h.s.Complete(c.line, len(c.line))
		kw := slices.IndexFunc(got, func(s string) bool { return strings.HasSuffix(s, " = ") })
		switch {
		case c.want == "" && kw >= 0:
			t.Errorf("Complete(%q) = %q: no keyword argument expected", c.line, got)
		case c.want != "" && (len(got) == 0 || got[0] != c.want):
			t.Errorf("Complete(%q) = %q, want %q first", c.line, got, c.want)
		case !slices.Contains(got, "sh") && strings.HasSuffix(c.line, "s"):
			t.Errorf("Complete(%q) = %q lacks the global sh", c.line, got)
		}
	}
}

func TestParamNames(t *testing.T) {
	cases := map[string][]string{
		"(vg, name, size = None, extents = None)": {"vg", "name", "size", "extents"},
		"(*argv, stdin = None, env = {})":         {"stdin", "env"},
		"(value, filter, all = False, **vars)":    {"value", "filter", "all"},
		"()":                                      nil,
		"not a signature":                         nil,
	}
	for params, want := range cases {
		if got := repl.ParamNames(params); !slices.Equal(got, want) {
			t.Errorf("ParamNames(%q) = %q, want %q", params, got, want)
		}
	}
}

func TestCompleteLVM(t *testing.T) {
	h := newSession(t, "", nil)
	_, got, _ := h.s.Complete("lvm.", 4)
	for _, want := range []string{"lvm.lvcreate", "lvm.lvs", "lvm.vgs"} {
		if !slices.Contains(got, want) {
			t.Errorf("lvm. → %q lacks %s", got, want)
		}
	}
	if _, got, _ := h.s.Complete("lvm.lvc", 7); !slices.Equal(got, []string{"lvm.lvcreate"}) {
		t.Errorf("lvm.lvc → %q", got)
	}
	if _, got, _ := h.s.Complete(`lvm.lvcreate("vg0", "data", ext`, 30); !slices.Contains(got, "extents = ") {
		t.Errorf("lvcreate kwargs → %q", got)
	}
	// vgcreate's vg takes no keyword: it is not offered as "vg = ".
	if _, got, _ := h.s.Complete(`lvm.vgcreate(v`, 14); slices.Contains(got, "vg = ") {
		t.Errorf("vgcreate offers its positional-only vg: %q", got)
	}
	if _, got, _ := h.s.Complete(`catch(f`, 7); slices.Contains(got, "fn = ") {
		t.Errorf("catch offers its positional-only fn: %q", got)
	}
}

func TestCompleteCloudStackAPIs(t *testing.T) {
	h := newSession(t, "cs = cloudstack.client()\n", nil)
	if code := h.run(); code != 0 {
		t.Fatalf("cloudstack.client() under the simulator failed: %s", h.stderr)
	}
	_, got, _ := h.s.Complete("cs.", 3)
	for _, want := range []string{"cs.createVolume", "cs.listZones", "cs.queryAsyncJobResult"} {
		if !slices.Contains(got, want) {
			t.Errorf("cs. → %d names, lacks %s", len(got), want)
		}
	}
	if _, got, _ := h.s.Complete("v = cs.createVol", 16); !slices.Equal(got, []string{"cs.createVolume"}) {
		t.Errorf("cs.createVol → %q", got)
	}
}

// apiClient stands for a client whose methods are remote APIs.
type apiClient struct{ starlark.HasAttrs }

func (apiClient) ParamNames(method string) []string {
	if method == "createVolume" {
		return []string{"name", "size", "zoneid"}
	}
	return nil
}

func TestCompleteParamLister(t *testing.T) {
	h := newSession(t, "", nil)
	h.s.Globals()["api"] = apiClient{starlarkstruct.FromStringDict(starlarkstruct.Default, starlark.StringDict{})}
	if _, got, _ := h.s.Complete(`api.createVolume(name = "x", z`, 30); len(got) == 0 || got[0] != "zoneid = " {
		t.Errorf("API parameters → %q", got)
	}
}
