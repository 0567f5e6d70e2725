package repl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
)

// ctrlC in a keyReader's lines is Ctrl-C pressed at that prompt (liner's
// ErrPromptAborted).
const ctrlC = "\x03"

type keyReader struct{ scriptReader }

func (r *keyReader) ReadLine(p string) (string, error) {
	l, err := r.scriptReader.ReadLine(p)
	if l == ctrlC {
		return "", repl.ErrPromptInterrupted
	}
	return l, err
}

// spellings of the configured secret S3cr3t+K3y/Zq== that are not the
// secret as typed: each statement must stay out of every file.
var spellings = map[string]string{
	"hex":            `x = "S3cr3t\x2bK3y/Zq=="`,
	"octal":          `x = "S3cr3t\053K3y/Zq=="`,
	"unicode":        `x = "S3cr3t\u002bK3y/Zq=="`,
	"long unicode":   `x = "S3cr3t\U0000002bK3y/Zq=="`,
	"escaped slash":  `x = 'S3cr3t+K3y\x2fZq\x3d='`,
	"bytes":          `x = b"S3cr3t\x2bK3y/Zq=="`,
	"triple":         `x = """S3cr3t\x2bK3y/Zq=="""`,
	"raw pieces":     `x = r"S3cr3t" + r"+K3y" + "/Zq=="`,
	"plus":           `x = "S3cr3t" + "\x2bK3y" + "/Zq=="`,
	"adjacent":       `x = "S3cr3t" "+K3y" "/Zq=="`,
	"join":           `x = "".join(["S3cr3t", "+K3y", "/Zq=="])`,
	"percent":        `x = "%s+K3y%s" % ("S3cr3t", "/Zq==")`,
	"lines":          "x = (\"S3cr3t\" +\n    \"+K3y\" +\n    \"/Zq==\")\n",
	"backslash line": "x = \"S3cr3t+K\\\n3y/Zq==\"",
	"syntax error":   `x = = "S3cr3t\x2bK3y/Zq=="`,
	"unclosed":       `x = "S3cr3t\x2bK3y/Zq==`,
	"comment":        `x = 1  # S3cr3t\x2bK3y/Zq==`,
	"abandoned":      "x = [\n\"S3cr3t\\x2bK3y\",\n" + ctrlC,
	"half":           `x = "K3y/Zq==" + "S3cr"`,
}

// TestSecretSpellingsStayOut: CLOUDSTACK_SECRET_KEY is configured; a
// statement that spells it any other way than as typed is kept out of the
// history file, the recall list, :history and the saved recipe, which are
// 0600 (an existing 0644 history file is tightened). Other statements are
// kept.
func TestSecretSpellingsStayOut(t *testing.T) {
	const secret = "S3cr3t+K3y/Zq=="
	t.Setenv("CLOUDSTACK_SECRET_KEY", secret)
	for name, stmt := range spellings {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			hist, saved := filepath.Join(dir, "history"), filepath.Join(dir, "s.star")
			write(t, hist, "old = 1\n")
			write(t, saved, "# an older recipe\n")
			in := "before = 1\n" + stmt + "\nafter = 2\n:history\n:save " + saved
			r := &keyReader{scriptReader{lines: strings.Split(in, "\n")}}
			h := newSession(t, "", func(_ *interp.Options, o *repl.Options) {
				o.Reader, o.Interactive, o.HistoryFile = r, true, hist
			})
			h.run()
			files := map[string]string{
				"history file": readFile(t, hist), "recall list": strings.Join(r.history, "\n"),
				":history": h.stdout.String(), "recipe": readFile(t, saved),
			}
			for where, text := range files {
				for _, piece := range []string{"S3cr3t", "K3y", "Zq=="} {
					if strings.Contains(text, piece) {
						t.Errorf("%s holds %q:\n%s", where, piece, text)
					}
				}
			}
			for _, where := range []string{"history file", "recall list", ":history"} {
				if !strings.Contains(files[where], "before = 1") || !strings.Contains(files[where], "after = 2") {
					t.Errorf("%s lost the other statements:\n%s", where, files[where])
				}
			}
			if !strings.Contains(h.stderr.String(), "note: not kept in the history: it holds a secret") {
				t.Errorf("no note about the dropped line; stderr %q", h.stderr)
			}
			for _, p := range []string{hist, saved} {
				if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v (%v), want 0600", p, st.Mode().Perm(), err)
				}
			}
		})
	}
}

// TestLeaks: the check itself, on pieces and spellings; text without a
// long enough piece of the secret passes.
func TestLeaks(t *testing.T) {
	const secret = "S3cr3t+K3y/Zq=="
	for _, src := range spellings {
		if !repl.Leaks(src, secret) {
			t.Errorf("%q: not seen", src)
		}
	}
	for _, src := range []string{`x = "S3cr3t"`, `x = "K3y/Zq="`, `x = 1`, `name = "S3cr3t-other"`, `x = "+K3y/Z" # Zq`} {
		if repl.Leaks(src, secret) {
			t.Errorf("%q: seen as a leak", src)
		}
	}
	if !repl.Leaks(`x = "ab\x63d"`, "abcd") || repl.Leaks(`x = "abc"`, "abcd") {
		t.Error("a short secret is matched whole")
	}
}

// TestSecretsOfStatementsThatDidNotRun: a secret passed to
// cloudstack.client in a statement abandoned with Ctrl-C, or given by name
// in a line with a syntax error, is learnt from the text: its lines keep
// it out, and so do later lines that spell it.
func TestSecretsOfStatementsThatDidNotRun(t *testing.T) {
	for name, c := range map[string]struct{ stmt, secret string }{
		"abandoned client": {"cs = cloudstack.client(\"http://127.0.0.1:1/client/api\", \"k\",\n    \"Unkn0wnS3cretValue\",\n" + ctrlC, "Unkn0wnS3cretValue"},
		"unclosed literal": {"cs = cloudstack.client(\"http://127.0.0.1:1/client/api\", \"k\", \"Unkn0wnS3cretValue\n", "Unkn0wnS3cretValue"},
		"syntax error":     {`cs = cloudstack.client(secret_key = "An0therS3cretVal" x)`, "An0therS3cretVal"},
	} {
		t.Run(name, func(t *testing.T) {
			hist := filepath.Join(t.TempDir(), "history")
			in := c.stmt + "\nlater = \"" + strings.ToUpper(c.secret[:1]) + c.secret[1:] + "\"\nagain = \"\\x" + "55" + c.secret[1:] + "\"\nok = 1"
			r := &keyReader{scriptReader{lines: strings.Split(in, "\n")}}
			h := newSession(t, "", func(_ *interp.Options, o *repl.Options) {
				o.Reader, o.Interactive, o.HistoryFile = r, true, hist
			})
			h.run()
			for where, text := range map[string]string{"history file": readFile(t, hist), "recall list": strings.Join(r.history, "\n")} {
				if strings.Contains(text, c.secret[2:]) {
					t.Errorf("%s holds the secret:\n%s", where, text)
				}
				if !strings.Contains(text, "ok = 1") {
					t.Errorf("%s lost ok = 1:\n%s", where, text)
				}
			}
		})
	}
}

// TestProfileSecret: a client from a cloudmonkey profile whose url also
// carries the secret key does not show it, and the session learns the
// key: a line spelling it stays out of the history and the recipe.
func TestProfileSecret(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("CLOUDSTACK_SECRET_KEY", "")
	if err := os.MkdirAll(filepath.Join(dir, ".cmk"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, ".cmk", "config"), "[lab]\nurl = http://127.0.0.1:1/Pr0fileS3cret+Key/client/api?secretkey=Pr0fileS3cret%2BKey\napikey = k\nsecretkey = Pr0fileS3cret+Key\n")
	hist, saved := filepath.Join(dir, "history"), filepath.Join(dir, "s.star")
	in := "cs = cloudstack.client(profile = \"lab\")\ncs\nx = \"Pr0fileS3cret\\x2bKey\"\nok = 1\n:save " + saved
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) {
		o.Reader, o.Interactive, o.HistoryFile = &scriptReader{lines: strings.Split(in, "\n")}, true, hist
	})
	h.run()
	// The session is a rehearsal (--sim): the client is the simulator's,
	// whatever the profile says, and shows nothing of the profile's url.
	if out := h.stdout.String(); !strings.Contains(out, "<cloudstack.client simulator>") {
		t.Errorf("the client shows %q", out)
	}
	for where, text := range map[string]string{"history file": readFile(t, hist), "recipe": readFile(t, saved), "stdout": h.stdout.String()} {
		if strings.Contains(text, "S3cret") {
			t.Errorf("%s holds the secret:\n%s", where, text)
		}
	}
	if !strings.Contains(readFile(t, hist), "ok = 1") || !strings.Contains(readFile(t, saved), "ok = 1") {
		t.Errorf("history or recipe lost ok = 1")
	}
}

// TestEarlierHistorySpellings: lines an earlier session left in the
// history file that spell the configured secret another way go when the
// session starts.
func TestEarlierHistorySpellings(t *testing.T) {
	t.Setenv("CLOUDSTACK_SECRET_KEY", "S3cr3t+K3y/Zq==")
	hist := filepath.Join(t.TempDir(), "history")
	old := []string{"a = 1", `x = "S3cr3t\x2bK3y/Zq=="`, `y = "S3cr3t" + "+K3y/Zq=="`, "b = 2"}
	write(t, hist, strings.Join(old, "\n")+"\n")
	r := &scriptReader{}
	h := newSession(t, "", func(_ *interp.Options, o *repl.Options) {
		o.Reader, o.Interactive, o.HistoryFile, o.History = r, true, hist, old
	})
	h.run()
	want := "a = 1\nb = 2\n"
	if got := readFile(t, hist); got != want || strings.Join(r.history, "\n")+"\n" != want {
		t.Errorf("history file %q, recall list %q; want %q", got, r.history, want)
	}
}
