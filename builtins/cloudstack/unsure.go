package cloudstack

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// settled is an error whose text already says all there is to say about
// whether the call was carried out.
type settled struct{ err error }

func (s *settled) Error() string { return s.err.Error() }

// maxRedirects bounds the same-origin redirects a request follows.
const maxRedirects = 5

// sameOrigin is the client's CheckRedirect: a redirect is followed only to
// the same scheme and host with the same method. Another origin would
// receive the signed request (API key, signature, a POST's parameters); a
// 301/302/303 would turn a POST into a GET that creates nothing yet answers
// like success. Anything else stops with the 3xx, which exchange reports.
func sameOrigin(req *http.Request, via []*http.Request) error {
	first := via[0]
	if len(via) > maxRedirects || req.Method != first.Method ||
		req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host {
		return http.ErrUseLastResponse
	}
	return nil
}

// redirectError explains a 3xx that was not followed: the API, the status,
// where it pointed (without userinfo or query, which may echo the signed
// request), why it was not followed and, for a POST, that the call may or
// may not have been carried out.
func (c *Client) redirectError(method, command string, resp *http.Response) error {
	loc := resp.Header.Get("Location")
	var why, shown string
	target, err := resp.Request.URL.Parse(loc)
	switch {
	case loc == "":
		why, shown = "it gives no Location", "nowhere"
	case err != nil:
		why, shown = "its Location does not parse", "an unparseable Location"
	default:
		shown = bareURL(target)
		switch {
		case target.Scheme != resp.Request.URL.Scheme || target.Host != resp.Request.URL.Host:
			why = "it is another origin, which would receive the signed request; if it is the right endpoint, configure that URL"
		case method == http.MethodPost && resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect:
			why = "following it would turn the POST into a GET"
		default:
			why = fmt.Sprintf("more than %d redirects", maxRedirects)
		}
	}
	msg := fmt.Sprintf("%s %s: %s answered HTTP %s redirecting to %s, not followed: %s", method, c.shown(), command, resp.Status, shown, why)
	if method == http.MethodPost {
		return fmt.Errorf("%s; %s", msg, checkHint(command))
	}
	return fmt.Errorf("%s", msg)
}

// bareURL is u without userinfo, query and fragment.
func bareURL(u *url.URL) string {
	b := *u
	b.User, b.Fragment, b.RawFragment = nil, "", ""
	if b.RawQuery != "" {
		b.RawQuery = "…"
	}
	return b.String()
}

// checkHint tells an operator how to find out whether a write that got no
// clear answer was carried out: the list API of its resource and the
// account's jobs.
func checkHint(command string) string {
	how := "listAsyncJobs"
	if l := listAPIFor(command); l != "" {
		how = l + " or listAsyncJobs"
	}
	return fmt.Sprintf("%s may or may not have been carried out: check with %s before running it again", command, how)
}

// listAPIFor guesses the list API of a command's resource:
// deployVirtualMachine -> listVirtualMachines, attachVolume -> listVolumes.
func listAPIFor(command string) string {
	i := strings.IndexFunc(command, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if i <= 0 {
		return ""
	}
	noun := command[i:]
	switch {
	case strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ey"):
		noun = strings.TrimSuffix(noun, "y") + "ies"
	case strings.HasSuffix(noun, "ss"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "sh"), strings.HasSuffix(noun, "ch"):
		noun += "es"
	case strings.HasSuffix(noun, "s"): // already plural: ...Keys, ...Details
	default:
		noun += "s"
	}
	return "list" + noun
}
