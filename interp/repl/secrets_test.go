package repl_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
)

const secret = "TOPSECRETxyz123"

func TestRedactRecipe(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`k = "` + secret + `"`, `k = ""`},
		{`k = '` + secret + `'`, `k = ""`},
		{`s = "é"; k = r"` + secret + `"`, `s = "é"; k = ""`},
		{"def f():\n    return \"" + secret + "\"", "def f():\n    return \"\""},
		{`msg = "key ` + secret + ` here"  # ` + secret, `msg = "key <redacted> here"  # <redacted>`},
		{`cs = cloudstack.client(u, "k", "short")`, `cs = cloudstack.client(u, "k", "")`},
		{`cs = cloudstack.client(u, "k", secret_key = "short")`, `cs = cloudstack.client(u, "k", secret_key = "")`},
		{`d = {"password": "pw", "user": "pw"}`, `d = {"password": "", "user": "pw"}`},
		{`f(token = "ab", name = "ab")`, `f(token = "", name = "ab")`},
		{`other.client(u, "k", "short")`, `other.client(u, "k", "short")`},
		{`x = 1`, `x = 1`},
	} {
		if got := repl.RedactRecipe(c.src, secret); got != c.want {
			t.Errorf("recipe of %q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestRedactLine(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`k = "` + secret + `"`, `k = "<redacted>"`},
		{`secret_key = "ab"`, `secret_key = "<redacted>"`},
		{`d = {"api_key": 'ab'}`, `d = {"api_key": "<redacted>"}`},
		{`print("a\"b\"cd")`, `print("<redacted>")`}, // the value a"b"cd, as typed
		{`x = "k"`, `x = "k"`},                       // too short to replace by value
	} {
		if got := repl.RedactLine(c.src, secret, `a"b"cd`, "k"); got != c.want {
			t.Errorf("line %q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// TestSecretsStayOutOfHistoryAndRecipes: the secret is learnt only when a
// later line passes it to cloudstack.client, after the history file, the
// recall list and the session's history took its line; all three lose it.
func TestSecretsStayOutOfHistoryAndRecipes(t *testing.T) {
	for _, c := range []struct {
		name, client, recipe string
	}{
		{"keyword", `cs = cloudstack.client(url = "http://127.0.0.1:1/client/api", api_key = "k", secret_key = key)`,
			`cs = cloudstack.client(url = "http://127.0.0.1:1/client/api", api_key = "", secret_key = key)`},
		{"positional", `cs = cloudstack.client("http://127.0.0.1:1/client/api", "k", key)`,
			`cs = cloudstack.client("http://127.0.0.1:1/client/api", "k", key)`},
		{"positional literal", `cs = cloudstack.client("http://127.0.0.1:1/client/api", "k", "` + secret + `")`,
			`cs = cloudstack.client("http://127.0.0.1:1/client/api", "k", "")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			hist, saved := filepath.Join(dir, "history"), filepath.Join(dir, "s.star")
			write(t, hist, "old = 1\nk2 = \""+secret+"\"\n") // an earlier session's line
			in := strings.Join([]string{`key = "` + secret + `"`, `note = "key is ` + secret + `"`, c.client, ":history", ":save " + saved}, "\n")
			h := newSession(t, in, func(_ *interp.Options, o *repl.Options) {
				o.Interactive, o.HistoryFile, o.History = true, hist, []string{"old = 1"}
			})
			if code := h.run(); code != 0 {
				t.Fatalf("exit %d: %s", code, h.stderr)
			}
			recipe := readFile(t, saved)
			for name, text := range map[string]string{
				"history file": readFile(t, hist), "recall list": strings.Join(h.reader.history, "\n"),
				":history": h.stdout.String(), "recipe": recipe, "stderr": h.stderr.String(),
			} {
				if strings.Contains(text, secret) {
					t.Errorf("%s holds the secret:\n%s", name, text)
				}
			}
			for _, want := range []string{`key = ""` + "\n", `note = "key is <redacted>"`, c.recipe, "CLOUDSTACK_SECRET_KEY"} {
				if !strings.Contains(recipe, want) {
					t.Errorf("recipe lacks %q:\n%s", want, recipe)
				}
			}
			if hf := readFile(t, hist); !strings.HasPrefix(hf, "old = 1\nk2 = \"<redacted>\"\nkey = \"<redacted>\"\n") {
				t.Errorf("history file:\n%s", hf)
			}
			if !strings.Contains(h.stderr.String(), "note: secrets were left out") {
				t.Errorf("no note about the secrets: %s", h.stderr)
			}
		})
	}
}

// TestSecretNamesAndShortValues: values of secret-looking names are
// redacted by name, however short; long ones wherever they appear.
func TestSecretNamesAndShortValues(t *testing.T) {
	dir := t.TempDir()
	hist, saved := filepath.Join(dir, "history"), filepath.Join(dir, "s.star")
	h := newSession(t, `secret_key = "s3cr3t"`+"\n"+`x = dict(api_key = "K", secretkey = 's"x', name = "ok")`+"\n"+`y = "s3cr3t!"`+"\n:history\n:save "+saved+"\n",
		func(_ *interp.Options, o *repl.Options) { o.Interactive, o.HistoryFile = true, hist })
	h.run()
	recipe := readFile(t, saved)
	for name, text := range map[string]string{"history file": readFile(t, hist), "recipe": recipe, ":history": h.stdout.String()} {
		if strings.Contains(text, "s3cr3t") || strings.Contains(text, `"K"`) || strings.Contains(text, `s"x`) {
			t.Errorf("%s holds a secret:\n%s", name, text)
		}
	}
	if !strings.Contains(h.stdout.String(), `secret_key = "<redacted>"`) {
		t.Errorf(":history lost the redacted assignment:\n%s", h.stdout)
	}
	for _, want := range []string{`secret_key = ""` + "\n", `x = dict(api_key = "", secretkey = "", name = "ok")`, `y = "<redacted>!"`} {
		if !strings.Contains(recipe, want) {
			t.Errorf("recipe lacks %q:\n%s", want, recipe)
		}
	}
}

// TestSecretFromEnvironment: the CLOUDSTACK_SECRET_KEY value is known from
// the start, also in lines earlier sessions left in the history file.
func TestSecretFromEnvironment(t *testing.T) {
	t.Setenv("CLOUDSTACK_SECRET_KEY", "ENVsecret12345")
	dir := t.TempDir()
	hist, saved := filepath.Join(dir, "history"), filepath.Join(dir, "s.star")
	write(t, hist, "x = 'ENVsecret12345'\n")
	h := newSession(t, "s = \"ENVsecret12345\"\n:history\n:save "+saved+"\n", func(_ *interp.Options, o *repl.Options) {
		o.Interactive, o.HistoryFile, o.History = true, hist, []string{"x = 'ENVsecret12345'"}
	})
	h.run()
	for name, text := range map[string]string{"history file": readFile(t, hist), "recipe": readFile(t, saved), ":history": h.stdout.String()} {
		if strings.Contains(text, "ENVsecret12345") {
			t.Errorf("%s holds the secret:\n%s", name, text)
		}
	}
	if !strings.Contains(readFile(t, saved), `s = ""`+"\n") {
		t.Errorf("recipe:\n%s", readFile(t, saved))
	}
}

// TestNoSecretsNoNote: the note and the comment come only when something
// was replaced.
func TestNoSecretsNoNote(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "s.star")
	h := newSession(t, "x = 'hello'\n:save "+saved+"\n", nil)
	h.run()
	if strings.Contains(h.stderr.String(), "note:") || strings.Contains(readFile(t, saved), "Secrets") {
		t.Errorf("stderr %q, recipe:\n%s", h.stderr, readFile(t, saved))
	}
	if !strings.Contains(readFile(t, saved), "x = 'hello'\n") {
		t.Errorf("recipe:\n%s", readFile(t, saved))
	}
}

// A module declares its secret parameters in its registration; the REPL
// knows nothing of the module otherwise.
func TestDeclaredSecretParams(t *testing.T) {
	docs := []starutil.Doc{{Name: "vault.login", Params: "(user, pin, ttl = 60)", Doc: "d", Secrets: []string{"pin"}}}
	for _, c := range []struct{ src, want string }{
		{`vault.login("me", "4711")`, `vault.login("me", "")`},
		{`vault.login("me", pin = "4711")`, `vault.login("me", pin = "")`},
		{`vault.logout("me", "4711")`, `vault.logout("me", "4711")`},
	} {
		if got := repl.RedactRecipeDocs(docs, c.src); got != c.want {
			t.Errorf("recipe of %q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}
