package signing

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzEncode checks Encode against Go's QueryEscape rewritten to Java's
// URLEncoder rules (the fix cloudstack-go applies, plus "~"), and that it
// decodes back to its input.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "a b*c~d", "éèààû", "~*. -_/+=", "100%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Encode(s)
		want := strings.NewReplacer("+", "%20", "%2A", "*", "~", "%7E").Replace(url.QueryEscape(s))
		if got != want {
			t.Errorf("Encode(%q) = %q, want %q", s, got, want)
		}
		back, err := url.PathUnescape(got)
		if err != nil || back != s {
			t.Errorf("Encode(%q) = %q decodes to %q, %v", s, got, back, err)
		}
	})
}
