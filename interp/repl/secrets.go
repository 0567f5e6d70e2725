package repl

import (
	"regexp"
	"sync"
)

// secretArg matches a string literal passed as a secret-looking keyword
// argument or assigned to a secret-looking name: secret_key = "...".
var secretArg = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(\w*(?:secret|password|passwd|token|api_?key)\w*)(\s*=\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`)
})

// Redact replaces secret string literals in a line of input, so the history
// file, :history and saved recipes never hold a CloudStack secret key.
// It reports whether anything was replaced.
func Redact(line string) (string, bool) {
	out := secretArg().ReplaceAllString(line, `$1$2"<redacted>"`)
	return out, out != line
}
