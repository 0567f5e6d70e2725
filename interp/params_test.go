package interp

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

const boolRecipe = `
def main(deploy = False, verify = True, no_cache = False, cache = True, name = "", n = 3, o = None, later = undefined_name):
    """Flags.

    verify: check the result
    """
`

func readBoolRecipe(t *testing.T) *Recipe {
	t.Helper()
	r, err := ReadRecipe(context.Background(), "b.star", []byte(boolRecipe))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// kw is what ParseArgs passes to main, as "name=value" strings.
func kw(t *testing.T, r *Recipe, args ...string) (map[string]string, error) {
	t.Helper()
	kwargs, err := r.ParseArgs(args)
	out := map[string]string{}
	for _, p := range kwargs {
		out[string(p[0].(starlark.String))] = p[1].String()
	}
	return out, err
}

// A default-true bool is turned off by --no-NAME or --NAME=false; a
// default-false one takes --no-NAME too; --no-NAME=false turns it on.
func TestBoolFlagsNegation(t *testing.T) {
	r := readBoolRecipe(t)
	for _, tc := range []struct {
		args []string
		want map[string]string
	}{
		{[]string{"--no-verify"}, map[string]string{"verify": "False"}},
		{[]string{"--verify=false"}, map[string]string{"verify": "False"}},
		{[]string{"--no-verify=false"}, map[string]string{"verify": "True"}},
		{[]string{"--verify=false", "--no-verify"}, map[string]string{"verify": "False"}},
		{[]string{"--no-deploy"}, map[string]string{"deploy": "False"}},
		{[]string{"--deploy"}, map[string]string{"deploy": "True"}},
		// --no-cache is the parameter no_cache, not cache's negation.
		{[]string{"--no-cache"}, map[string]string{"no_cache": "True"}},
		{[]string{"--cache=false"}, map[string]string{"cache": "False"}},
	} {
		got, err := kw(t, r, tc.args...)
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%v: got %v, want %v", tc.args, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%v: %s = %s, want %s (all: %v)", tc.args, k, got[k], v, got)
			}
		}
	}
	for _, args := range [][]string{{"--verify", "--no-verify"}, {"--no-verify", "--verify=true"}} {
		_, err := kw(t, r, args...)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--verify and --no-verify contradict each other") {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	for _, args := range [][]string{{"--no-no-cache"}, {"--no-name"}, {"--no-n"}} {
		if _, err := kw(t, r, args...); err == nil || !strings.Contains(err.Error(), "unknown flag") {
			t.Errorf("%v: %v, want an unknown flag", args, err)
		}
	}
}

// --help shows every parameter's default, bools as typed (true/false),
// and --no-NAME beside a default-true bool.
func TestHelpShowsEveryDefault(t *testing.T) {
	_, err := readBoolRecipe(t).ParseArgs([]string{"--help"})
	var help *HelpRequested
	if !errors.As(err, &help) {
		t.Fatalf("--help: %v", err)
	}
	for _, re := range []string{
		`--deploy +\(default false\)`,
		`--verify, --no-verify +check the result \(default true\)`,
		`--no-cache +\(default false\)`,
		`--cache +\(default true\)`,
		`--name string +\(default ""\)`,
		`--n int +\(default 3\)`,
		`--o string +\(default None\)`,
		`--later string +\(default computed when the recipe runs\)`,
	} {
		if !regexpMatch(re, help.Text) {
			t.Errorf("help lacks %s:\n%s", re, help.Text)
		}
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }

// A parameter named help would redefine --help (pflag panics): refused.
func TestHelpParameterRefused(t *testing.T) {
	r, err := ReadRecipe(context.Background(), "h.star", []byte("def main(help = False):\n    pass\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.ParseArgs(nil)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), `main's parameter "help" would be --help, which is vrun's: rename it`) {
		t.Errorf("got %v", err)
	}
}
