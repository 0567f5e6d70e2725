// Package signing computes and checks CloudStack API request signatures
// exactly as the management server verifies them (ApiServer.verifyRequest):
// every parameter but "signature", names sorted case-sensitively, values
// encoded like Java's URLEncoder with "+" turned into "%20", the whole
// string lowercased, HMAC-SHA1 with the secret key, standard base64.
//
// The client and the simulator share this package; the test vectors in
// sign_test.go (public ones and JDK-computed ones) pin it to the server.
package signing

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
	"time"
)

// ExpiresLayout is the "expires" format every server version accepts
// (old ones only take a numeric zone offset).
const ExpiresLayout = "2006-01-02T15:04:05-0700"

// Encode encodes s as java.net.URLEncoder does, then replaces "+" (the
// encoded space) by "%20" as the server does. Unlike Go's url.QueryEscape it
// leaves "*" alone and escapes "~", which is what the server signs.
func Encode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteString("%20")
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// StringToSign is the lowercased, sorted name=encoded(value) string the
// HMAC covers. A parameter named "signature" (any case) is left out.
func StringToSign(params map[string]string) string {
	names := make([]string, 0, len(params))
	for n := range params {
		if !strings.EqualFold(n, "signature") {
			names = append(names, n)
		}
	}
	sort.Strings(names) // Java's Collections.sort: case-sensitive, byte order for ASCII
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + Encode(params[n])
	}
	return strings.ToLower(strings.Join(parts, "&"))
}

// Sign returns the base64 HMAC-SHA1 signature of params under secret.
func Sign(params map[string]string, secret string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(StringToSign(params)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify reports whether params carry a valid signature for secret, in
// constant time, as the server checks it.
func Verify(params map[string]string, secret string) bool {
	var got string
	for n, v := range params {
		if strings.EqualFold(n, "signature") {
			got = v
		}
	}
	if got == "" {
		return false
	}
	want := Sign(params, secret)
	return hmac.Equal([]byte(got), []byte(want))
}

// Expires formats an expiry time for signatureversion=3.
func Expires(t time.Time) string { return t.UTC().Format(ExpiresLayout) }

// ParseExpires accepts the formats the server's DateUtil.parseTZDateString
// accepts: ISO offset date-times with or without a colon in the offset,
// "Z", and fractional seconds.
func ParseExpires(s string) (time.Time, bool) {
	for _, layout := range []string{
		time.RFC3339Nano, ExpiresLayout, "2006-01-02T15:04:05.000000-0700",
		"2006-01-02T15:04:05Z-0700",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
