package cloudstack

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/ini.v1"
)

// creds are where a client connects and how it signs.
type creds struct {
	URL, APIKey, Secret string
	Source              string // for messages: "arguments", "environment", "profile x in ~/.cmk/config"
}

// credArgs are the client() arguments that choose credentials.
type credArgs struct {
	URL, APIKey, Secret, Profile string
}

// resolveCreds applies the order of API.md: arguments, then
// CLOUDSTACK_API_URL / _API_KEY / _SECRET_KEY, then a cloudmonkey profile.
// It returns ok = false when nothing at all is configured; under --sim that
// means the embedded simulator, and the cmk config is read only when a
// profile is named, so a rehearsal never reaches a real cloud by accident.
func resolveCreds(a credArgs, sim bool) (c creds, ok bool, err error) {
	c = creds{URL: a.URL, APIKey: a.APIKey, Secret: a.Secret, Source: "arguments"}
	fromEnv := false
	for _, f := range []struct {
		dst *string
		env string
	}{{&c.URL, "CLOUDSTACK_API_URL"}, {&c.APIKey, "CLOUDSTACK_API_KEY"}, {&c.Secret, "CLOUDSTACK_SECRET_KEY"}} {
		if *f.dst == "" {
			if v := os.Getenv(f.env); v != "" {
				*f.dst, fromEnv = v, true
			}
		}
	}
	if fromEnv {
		c.Source = "arguments and CLOUDSTACK_* environment variables"
	}
	if c.URL == "" && c.APIKey == "" && c.Secret == "" && (a.Profile != "" || !sim) {
		p, found, err := readProfile(a.Profile)
		if err != nil {
			return creds{}, false, err
		}
		if found {
			c = p
		}
	}
	if c.URL == "" && c.APIKey == "" && c.Secret == "" {
		if sim {
			return creds{}, false, nil
		}
		return creds{}, false, errors.New("no CloudStack credentials: pass url, api_key and secret_key, " +
			"set CLOUDSTACK_API_URL, CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY, or configure a cloudmonkey profile in ~/.cmk/config " +
			"(or run with --sim to use the simulator)")
	}
	var missing []string
	for _, m := range []struct{ v, name string }{{c.URL, "the URL"}, {c.APIKey, "the API key"}, {c.Secret, "the secret key"}} {
		if m.v == "" {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return creds{}, false, fmt.Errorf("incomplete CloudStack credentials from %s: missing %s "+
			"(give them as arguments, CLOUDSTACK_API_URL/CLOUDSTACK_API_KEY/CLOUDSTACK_SECRET_KEY, or a ~/.cmk/config profile)",
			c.Source, joinAnd(missing))
	}
	if err := checkURL(c.URL); err != nil {
		return creds{}, false, fmt.Errorf("CloudStack URL from %s: %w", c.Source, err)
	}
	return c, true, nil
}

func joinAnd(l []string) string {
	if len(l) == 1 {
		return l[0]
	}
	return strings.Join(l[:len(l)-1], ", ") + " and " + l[len(l)-1]
}

// checkURL accepts an http(s) URL with a host; messages never show its
// user:password@.
func checkURL(s string) error {
	const want = "want an http:// or https:// URL such as https://cloud.example.com/client/api"
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("the URL does not parse: %s", want)
	}
	u.User = nil
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("got %q, %s", u.String(), want)
	}
	if u.Host == "" {
		return fmt.Errorf("got %q without a host, %s", u.String(), want)
	}
	return nil
}

// readProfile reads a profile of cloudmonkey's INI config: core settings
// before the first section (among them "profile", the default one), then a
// [name] section per profile with url, apikey and secretkey.
func readProfile(name string) (creds, bool, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return creds{}, false, nil
	}
	path := filepath.Join(home, ".cmk", "config")
	if _, err := os.Stat(path); err != nil {
		if name != "" {
			return creds{}, false, fmt.Errorf("profile %q requested but %s does not exist", name, path)
		}
		return creds{}, false, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return creds{}, false, fmt.Errorf("reading %s: %w", path, err)
	}
	f, err := ini.Load(data)
	if err != nil {
		return creds{}, false, iniError(path, data, err)
	}
	explicit := name != ""
	if name == "" {
		name = f.Section("").Key("profile").MustString("localcloud")
	}
	sec, err := f.GetSection(name)
	if err != nil {
		if explicit {
			return creds{}, false, fmt.Errorf("no profile [%s] in %s", name, path)
		}
		return creds{}, false, nil
	}
	c := creds{URL: sec.Key("url").String(), APIKey: sec.Key("apikey").String(), Secret: sec.Key("secretkey").String(),
		Source: fmt.Sprintf("profile %q in %s", name, path)}
	if c.APIKey == "" || c.Secret == "" {
		return creds{}, false, fmt.Errorf("profile %q in %s has no apikey and secretkey: vrun signs requests with API keys, not username and password", name, path)
	}
	if c.URL == "" {
		c.URL = "http://localhost:8080/client/api" // cloudmonkey's default
	}
	return c, true, nil
}

// iniError reports a malformed config by path and line number only: the
// parser's messages quote the line, which may be "secretkey ..." (H4).
func iniError(path string, data []byte, err error) error {
	msg := err.Error()
	if _, quoted, ok := strings.Cut(msg, ": "); ok {
		quoted = strings.TrimSpace(quoted)
		for i, line := range bytes.Split(data, []byte("\n")) {
			if l := strings.TrimSpace(string(line)); l != "" && l == quoted {
				return fmt.Errorf("%s:%d: malformed line (want [profile] or key = value; its text is not shown, it may hold a key)", path, i+1)
			}
		}
	}
	return fmt.Errorf("%s: not a valid cloudmonkey config (the parser's message is not shown, it may quote a key)", path)
}
