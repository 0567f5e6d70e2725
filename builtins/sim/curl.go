package sim

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// curl [-fsSL] [--proto =http,https] [-o FILE] [--] URL, the host's one
// fake of it: documents come from the host's web (Web, a slot that tests
// and recipes' worlds fill) and from the sites modules serve (Serve: the
// repo fake's upstream mirror). Messages and exit codes are curl 7.88's,
// checked against the real one.

// Web is what the simulated internet serves, by URL.
type Web struct {
	Pages map[string]string `json:"pages"`
}

var webSlot = Slot[*Web]{Key: "web", New: func() *Web { return &Web{Pages: map[string]string{}} }}

// WebOf returns the host's web; the host must be locked.
func WebOf(h *Host) *Web { return webSlot.Get(h) }

// Site answers the URLs of one host name: the body and true, or false for
// a 404. It runs with the simulated host locked.
type Site func(h *Host, rawURL string) (string, bool)

// Serve makes the fake curl ask site for URLs on the given host name
// (module start-up, like Register; one site per name).
func (h *Host) Serve(hostname string, site Site) {
	if h.sites == nil {
		h.sites = map[string]Site{}
	}
	if _, dup := h.sites[hostname]; dup {
		h.errs = append(h.errs, fmt.Errorf("simulated host: site %q served twice", hostname))
		return
	}
	h.sites[hostname] = site
}

func registerCurl(h *Host) {
	webSlot.Declare(h)
	h.Register("curl", curl)
}

func curl(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-o", "--output", "--proto")
	for k := range opts {
		switch k {
		case "-f", "--fail", "-s", "--silent", "-S", "--show-error", "-L", "--location", "-o", "--output", "--proto":
		default:
			return Fail(2, fmt.Sprintf("curl: the simulated host does not support option %s\n", k))
		}
	}
	if len(ops) != 1 {
		return Fail(2, "curl: the simulated host supports only curl [-fsSL] [--proto P] [-o FILE] URL\n")
	}
	raw := ops[0]
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Fail(3, "curl: (3) URL using bad/illegal format or missing URL\n")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Fail(1, fmt.Sprintf("curl: (1) Protocol \"%s\" not supported or disabled in libcurl\n", u.Scheme))
	}
	body, found := WebOf(h).Pages[raw]
	site, known := h.sites[u.Hostname()]
	if !found && known {
		body, found = site(h, raw)
	}
	if !found && !known && !hasPrefixURL(WebOf(h).Pages, u) {
		return Fail(6, fmt.Sprintf("curl: (6) Could not resolve host: %s\n", u.Hostname()))
	}
	if !found {
		return Fail(22, "curl: (22) The requested URL returned error: 404\n")
	}
	out := opts["-o"]
	if v, ok := opts["--output"]; ok {
		out = v
	}
	if out == "" {
		return OK(body)
	}
	if out == "-" {
		return OK(body)
	}
	if !h.IsDir(path.Dir(h.real(out))) || h.IsDir(out) {
		return Fail(23, "curl: (23) Failure writing output to destination\n")
	}
	h.WriteFile(out, []byte(body), 0)
	return OK("")
}

// hasPrefixURL reports whether the web has any page on u's host: the
// host then resolves, and a missing page is a 404.
func hasPrefixURL(pages map[string]string, u *url.URL) bool {
	for p := range pages {
		if pu, err := url.Parse(p); err == nil && pu.Host == u.Host && strings.EqualFold(pu.Scheme, u.Scheme) {
			return true
		}
	}
	return false
}
