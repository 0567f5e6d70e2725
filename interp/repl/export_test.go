package repl

import "time"

// SetNow replaces the session's wall clock, so tests place a Ctrl-C and a
// statement's start in time without sleeping.
func SetNow(s *Session, now func() time.Time) { s.now = now }

// RedactRecipe and RedactLine redact src knowing the secret values.
func RedactRecipe(src string, values ...string) string { return known(values).recipe(src) }
func RedactLine(src string, values ...string) string   { return known(values).line(src) }

func known(values []string) *secrets {
	ss := &secrets{}
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
