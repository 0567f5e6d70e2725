package repl

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// minSecretLen is the shortest secret replaced wherever it appears; a
// shorter one (a test key "k") would blank out ordinary text, so it is
// replaced only where a secret-looking name shows it.
const minSecretLen = 4

const redacted = "<redacted>"

var secretName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)secret|password|passwd|token|api_?key`)
})

// secretArg matches a string literal passed as a secret-looking keyword
// argument, assigned to a secret-looking name or given to such a dict key:
// secret_key = "...", "api_key": '...'.
var secretArg = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(\w*(?:secret|password|passwd|token|api_?key)\w*)(["']?\s*[=:]\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`)
})

// Redact replaces string literals given to secret-looking names in a line
// of input. It reports whether anything was replaced. Secrets known by
// value are replaced by the session (secrets.line).
func Redact(line string) (string, bool) {
	out := secretArg().ReplaceAllString(line, `$1$2"`+redacted+`"`)
	return out, out != line
}

// secrets are the secret strings a session has seen, longest first so a
// secret holding another is replaced whole, and where builtins take them.
type secrets struct {
	known []string
	// params are the secret parameters builtins declare (Func.Secrets), by
	// the builtin's qualified name.
	params map[string]secretParams
}

// secretParams are one builtin's secret parameters by name and position.
type secretParams struct {
	names     []string
	positions []int
}

// declare records the secret parameters of the registered builtins.
func (ss *secrets) declare(docs []starutil.Doc) {
	ss.params = map[string]secretParams{}
	for _, d := range docs {
		if len(d.Secrets) == 0 {
			continue
		}
		sp := secretParams{names: d.Secrets}
		for i, name := range ParamNames(d.Params) {
			if slices.Contains(d.Secrets, name) {
				sp.positions = append(sp.positions, i)
			}
		}
		ss.params[d.Name] = sp
	}
}

func (ss *secrets) add(v string) bool {
	if len(v) < minSecretLen || slices.Contains(ss.known, v) {
		return false
	}
	ss.known = append(ss.known, v)
	slices.SortStableFunc(ss.known, func(a, b string) int { return len(b) - len(a) })
	return true
}

// line redacts text for the history: literals of secret-looking names,
// then every known secret, as typed or as it reads escaped in a literal.
func (ss *secrets) line(text string) string {
	text, _ = Redact(text)
	return ss.replace(text)
}

// replace replaces every known secret in text.
func (ss *secrets) replace(text string) string {
	for _, v := range ss.known {
		text = strings.ReplaceAll(text, v, redacted)
		if q := syntax.Quote(v, false); q[1:len(q)-1] != v {
			text = strings.ReplaceAll(text, q[1:len(q)-1], redacted)
		}
	}
	return text
}

// recipe redacts one saved statement. A string literal holding a known
// secret, or given to a secret-looking name, becomes "": cloudstack.client()
// takes an empty credential as not given and reads CLOUDSTACK_API_KEY and
// CLOUDSTACK_SECRET_KEY instead (None would be clearer, but the client
// rejects it). Any other occurrence (in a longer string, a comment) becomes
// <redacted>.
func (ss *secrets) recipe(src string) string {
	f, err := interp.FileOptions().Parse("", src, 0)
	if err != nil {
		return ss.line(src)
	}
	var lits []*syntax.Literal
	none := func(e syntax.Expr) {
		if lit, ok := e.(*syntax.Literal); ok && lit.Token == syntax.STRING && !slices.Contains(lits, lit) {
			lits = append(lits, lit)
		}
	}
	ss.secretExprs(f, none)
	syntax.Walk(f, func(n syntax.Node) bool {
		if lit, ok := n.(*syntax.Literal); ok {
			if v, ok := lit.Value.(string); ok && slices.Contains(ss.known, v) {
				none(lit)
			}
		}
		return true
	})
	// Replace from the end so earlier offsets stay valid.
	slices.SortFunc(lits, func(a, b *syntax.Literal) int {
		if a.TokenPos.Line != b.TokenPos.Line {
			return int(b.TokenPos.Line - a.TokenPos.Line)
		}
		return int(b.TokenPos.Col - a.TokenPos.Col)
	})
	for _, lit := range lits {
		off := byteOffset(src, lit.TokenPos)
		if off < 0 || !strings.HasPrefix(src[off:], lit.Raw) {
			continue // ss.line below still replaces the value
		}
		src = src[:off] + `""` + src[off+len(lit.Raw):]
	}
	return ss.replace(src) // the literals are done: "" must stay ""
}

// byteOffset converts a position (line, rune column) to an offset in src.
func byteOffset(src string, p syntax.Position) int {
	off := 0
	for l := int32(1); l < p.Line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := int32(1); c < p.Col; c++ {
		if off >= len(src) {
			return -1
		}
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	return off
}

// secretExprs calls fn with every expression in a secret position of f:
// the value of a secret-looking keyword argument, assignment or dict key,
// and an argument given to a parameter a builtin declares secret (by
// keyword or position: cloudstack.client(url, api_key, secret_key)).
func (ss *secrets) secretExprs(f *syntax.File, fn func(syntax.Expr)) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			sp := ss.params[dotted(n.Fn)]
			pos := 0
			for _, arg := range n.Args {
				if kw, ok := arg.(*syntax.BinaryExpr); ok && kw.Op == syntax.EQ {
					if id, ok := kw.X.(*syntax.Ident); ok && (secretName().MatchString(id.Name) || slices.Contains(sp.names, id.Name)) {
						fn(kw.Y)
					}
					continue
				}
				if slices.Contains(sp.positions, pos) {
					fn(arg)
				}
				pos++
			}
		case *syntax.AssignStmt:
			if id, ok := n.LHS.(*syntax.Ident); ok && n.Op == syntax.EQ && secretName().MatchString(id.Name) {
				fn(n.RHS)
			}
		case *syntax.DictEntry:
			if k, ok := n.Key.(*syntax.Literal); ok {
				if s, ok := k.Value.(string); ok && secretName().MatchString(s) {
					fn(n.Value)
				}
			}
		}
		return true
	})
}

// dotted is the name a call expression calls: "cloudstack.client" for
// cloudstack.client(...); "" for anything else.
func dotted(fn syntax.Expr) string {
	switch fn := fn.(type) {
	case *syntax.Ident:
		return fn.Name
	case *syntax.DotExpr:
		if x := dotted(fn.X); x != "" {
			return x + "." + fn.Name.Name
		}
	}
	return ""
}

// learnSecrets records the secrets a statement shows: string literals and
// string-valued globals in secret positions, every string global with a
// secret-looking name, and the secrets builtins reported (Env.AddSecret).
// It reports whether one was new.
func (s *Session) learnSecrets(f *syntax.File) bool {
	added := false
	add := func(v starlark.Value) {
		if str, ok := v.(starlark.String); ok && s.secrets.add(string(str)) {
			added = true
		}
	}
	if f != nil {
		s.secrets.secretExprs(f, func(e syntax.Expr) {
			switch e := e.(type) {
			case *syntax.Literal:
				if v, ok := e.Value.(string); ok {
					add(starlark.String(v))
				}
			case *syntax.Ident:
				add(s.globals[e.Name])
			}
		})
	}
	for k, v := range s.globals {
		if secretName().MatchString(k) {
			add(v)
		}
	}
	for _, v := range s.in.Env.Secrets() { // builtins' own, e.g. a cmk profile's key
		add(starlark.String(v))
	}
	return added
}
