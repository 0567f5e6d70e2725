package repl

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins"
)

// loadedFile is the FILE.star the session started from; a saved recipe
// load()s it so its globals are there again.
type loadedFile struct {
	path    string
	globals starlark.StringDict
}

// saveForm is how a statement that ran is written into a recipe. A bare
// expression with a value becomes `_ = expr` and `print(_)`: a recipe
// shows what the session showed, and later uses of _ still work.
func saveForm(f *syntax.File, src string, v starlark.Value) string {
	if soleExpr(f) != nil && v != starlark.None {
		return "_ = " + src + "\nprint(_)"
	}
	return src
}

// callsHelp reports whether a statement calls help(), which exists only in
// the REPL and so is left out of saved recipes.
func callsHelp(f *syntax.File) bool {
	found := false
	for _, stmt := range f.Stmts {
		syntax.Walk(stmt, func(n syntax.Node) bool {
			if call, ok := n.(*syntax.CallExpr); ok {
				if id, ok := call.Fn.(*syntax.Ident); ok && id.Name == "help" {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// Recipe is the source of a recipe that repeats the session: the statements
// that ran without error, in order, after a load() of the starting file.
func (s *Session) Recipe(dest string) (string, error) {
	var b strings.Builder
	b.WriteString("# Saved from a vrun repl session: the statements that ran without error.\n")
	if s.file != nil {
		line, err := s.file.load(dest)
		if err != nil {
			return "", err
		}
		b.WriteString(line)
	}
	b.WriteString("\n")
	var body strings.Builder
	replaced, dropped := false, 0
	for _, stmt := range s.saved {
		r := s.secrets.recipe(stmt)
		replaced = replaced || r != stmt
		if s.secrets.leaks(r) { // a secret in a spelling not replaced
			r, dropped = "# (a statement that holds a secret is left out here)", dropped+1
		}
		body.WriteString(r + "\n")
		if strings.Contains(r, "\n") && !strings.HasSuffix(r, "print(_)") {
			body.WriteString("\n") // a blank line closes def/if/for blocks
		}
	}
	if replaced {
		from := strings.Join(builtins.SecretEnv(s.in.Entries), ", ")
		b.WriteString(fmt.Sprintf(secretsComment, from))
		fmt.Fprintf(s.o.Stderr, "note: secrets were left out of the recipe (\"\", or \"<redacted>\" inside text); the builtins that take them read the environment (%s) or their own configuration instead\n", from)
	}
	if dropped > 0 {
		fmt.Fprintf(s.o.Stderr, "note: %d statement(s) left out of the recipe: they hold a secret in a form that cannot be replaced (escaped or in pieces); see the comments where they were\n", dropped)
	}
	b.WriteString(body.String())
	return b.String(), nil
}

// secretsComment heads a recipe whose secrets were left out; %s lists the
// environment variables the modules declare (Module.SecretEnv).
const secretsComment = `# Secrets typed in the session are not saved: where one was written the
# recipe reads "" (not given), so the builtin takes it from the environment
# (%s) or its own configuration (a cloudmonkey profile); inside other text
# it reads <redacted>.
`

// load is the load() statement for the starting file, relative to the
// directory the recipe is saved in (load paths are relative to the loading
// file). main is left out: a recipe with main would call it.
func (lf *loadedFile) load(dest string) (string, error) {
	src, err := filepath.Abs(lf.path)
	if err != nil {
		return "", err
	}
	dir, err := filepath.Abs(filepath.Dir(dest))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(dir, src)
	if err != nil {
		rel = src
	}
	names := []string{}
	for k := range lf.globals {
		if k != "main" && !strings.HasPrefix(k, "_") {
			names = append(names, strconv.Quote(k))
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("# started from %s, which defines no globals to load\n", lf.path), nil
	}
	sort.Strings(names)
	return fmt.Sprintf("load(%s, %s)\n", strconv.Quote(filepath.ToSlash(rel)), strings.Join(names, ", ")), nil
}

// save writes the session as a recipe to path.
func (s *Session) save(path string) error {
	src, err := s.Recipe(path)
	if err != nil {
		return err
	}
	// 0600: a recipe typed with keys at hand may still hold one the
	// session did not know to leave out.
	if err := writePrivate(path, src, func() error { return nil }); err != nil {
		return err
	}
	fmt.Fprintf(s.o.Stderr, "saved %d statements to %s (run it: vrun %s)\n", len(s.saved), path, path)
	return nil
}
