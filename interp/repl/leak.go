package repl

import (
	"regexp"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/interp"
)

// minLeak is the shortest piece of a known secret that keeps a statement
// out of the history and saved recipes: long enough that ordinary text
// does not hold one by chance, short enough that a secret cut in two
// (S3cr3t" + "K3y/Zq==) still shows a piece.
const minLeak = 8

// leaks reports whether text holds a known secret, or a piece of one of
// minLeak bytes, in any string-literal spelling: as written (a comment,
// a line that does not parse), in a literal's decoded value (escapes, raw
// strings), in the values of its literals joined (a secret split by +,
// into a list to join, or across lines), or in the value of a constant
// expression ("%s+K3y" % "S3cr3t").
func (ss *secrets) leaks(text string) bool {
	if len(ss.known) == 0 {
		return false
	}
	lits, _ := scanText(text)
	cands := make([]string, 0, len(lits)+2)
	var all strings.Builder
	for _, l := range lits {
		cands = append(cands, l.value)
		all.WriteString(l.value)
	}
	cands = append(cands, text, all.String())
	cands = append(cands, constStrings(text)...)
	for _, v := range ss.known {
		for _, piece := range pieces(v) {
			for _, c := range cands {
				if strings.Contains(c, piece) {
					return true
				}
			}
		}
	}
	return false
}

// pieces are the minLeak-byte windows of v, or v itself when shorter.
func pieces(v string) []string {
	if len(v) <= minLeak {
		return []string{v}
	}
	out := make([]string, 0, len(v)-minLeak+1)
	for i := 0; i+minLeak <= len(v); i++ {
		out = append(out, v[i:i+minLeak])
	}
	return out
}

// secretBefore matches the text before a literal in a secret position:
// secret_key = "...", "api_key": "...".
var secretBefore = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\w*(?:secret|password|passwd|token|api_?key)\w*["']?\s*[=:]\s*[rb]*$`)
})

// learnText learns the secrets of a statement that did not run because it
// does not parse or was abandoned with Ctrl-C. Closing its open literal
// and brackets often makes it parse (cloudstack.client(u, "k", "S3cr3t…
// cut short); otherwise literals after a secret-looking name are taken.
func (s *Session) learnText(text string) bool {
	f, lits := parseRepaired(text)
	if f != nil {
		return s.learnSecrets(f)
	}
	added := false
	for _, l := range lits {
		if secretBefore().MatchString(text[:l.start]) && s.secrets.add(l.value) {
			added = true
		}
	}
	return added
}

// parseRepaired parses text, if need be with its open literal and brackets
// closed; f is nil when it still does not parse.
func parseRepaired(text string) (f *syntax.File, lits []lit) {
	lits, open := scanText(text)
	var repaired strings.Builder
	repaired.WriteString(text)
	if n := len(lits); n > 0 && !lits[n-1].closed {
		repaired.WriteString(lits[n-1].closing)
	}
	for i := len(open) - 1; i >= 0; i-- {
		repaired.WriteByte(map[byte]byte{'(': ')', '[': ']', '{': '}'}[open[i]])
	}
	repaired.WriteByte('\n')
	f, err := interp.FileOptions().Parse(filename, repaired.String(), 0)
	if err != nil {
		return nil, lits
	}
	return f, lits
}

// constStrings are the string values of text's constant expressions made
// of literals, + and % (no *: "x" * 10**9 is not evaluated).
func constStrings(text string) []string {
	f, _ := parseRepaired(text)
	if f == nil {
		return nil
	}
	var out []string
	syntax.Walk(f, func(n syntax.Node) bool {
		b, ok := n.(*syntax.BinaryExpr)
		if !ok || (b.Op != syntax.PLUS && b.Op != syntax.PERCENT) || !constant(b) {
			return true
		}
		th := &starlark.Thread{Name: "secrets"}
		th.SetMaxExecutionSteps(10000)
		if v, err := starlark.EvalExprOptions(f.Options, th, b, nil); err == nil {
			if s, ok := v.(starlark.String); ok {
				out = append(out, string(s))
			}
		}
		return false // its parts are literals, read already
	})
	return out
}

// constant reports whether e is made of literals, +, % and tuples or lists
// of them only.
func constant(e syntax.Expr) bool {
	switch e := e.(type) {
	case *syntax.Literal:
		return true
	case *syntax.ParenExpr:
		return constant(e.X)
	case *syntax.BinaryExpr:
		return (e.Op == syntax.PLUS || e.Op == syntax.PERCENT) && constant(e.X) && constant(e.Y)
	case *syntax.TupleExpr:
		return allConstant(e.List)
	case *syntax.ListExpr:
		return allConstant(e.List)
	}
	return false
}

func allConstant(es []syntax.Expr) bool {
	for _, e := range es {
		if !constant(e) {
			return false
		}
	}
	return true
}
