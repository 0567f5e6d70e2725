package repl

import (
	"time"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// SetNow replaces the session's wall clock, so tests place a Ctrl-C and a
// statement's start in time without sleeping.
func SetNow(s *Session, now func() time.Time) { s.now = now }

// RedactRecipe and RedactLine redact src knowing the secret values.
func RedactRecipe(src string, values ...string) string { return known(values).recipe(src) }
func RedactLine(src string, values ...string) string   { return known(values).line(src) }

func known(values []string) *secrets {
	ss := &secrets{}
	ss.declare(builtins.Docs(builtins.All())) // cloudstack.client's secret_key
	for _, v := range values {
		ss.add(v)
	}
	return ss
}

// Leaks reports whether src holds one of values in any spelling.
func Leaks(src string, values ...string) bool { return known(values).leaks(src) }

// Literals are the decoded values of src's string literals.
func Literals(src string) []string {
	lits, _ := scanText(src)
	out := []string{}
	for _, l := range lits {
		out = append(out, l.value)
	}
	return out
}

// RedactRecipeDocs redacts with the secret parameters docs declare.
func RedactRecipeDocs(docs []starutil.Doc, src string) string {
	ss := &secrets{}
	ss.declare(docs)
	return ss.recipe(src)
}

// Running reports whether a statement is executing (it has a context to
// cancel), without Interrupt's side effect of marking a Ctrl-C that found
// nothing running.
func (s *Session) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancel != nil
}
