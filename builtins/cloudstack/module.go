package cloudstack

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module is the cloudstack module's Starlark surface.
func Module() *starutil.Module {
	return &starutil.Module{
		Name: "cloudstack",
		Doc:  "CloudStack API: signed calls by API name, async jobs waited with backoff, the embedded simulator under --sim",
		// CLOUDSTACK_API_KEY is not secret alone, but a saved recipe
		// takes both from the environment.
		SecretEnv: []string{"CLOUDSTACK_SECRET_KEY"},
		Funcs: []starutil.Func{
			{Name: "client", Impl: client, Secrets: []string{"secret_key"},
				Params: `(url = None, api_key = None, secret_key = None, profile = None, timeout = "30m", poll = "0.5s", max_poll = "10s", expires = "10m", request_timeout = "60s")`,
				Doc:    "a client: cs.<apiName>(**params), cs.call(name, **params), cs.wait(jobid), cs.list(name, **filters); credentials from arguments, CLOUDSTACK_* or ~/.cmk/config (url = None, not \"\"); under --sim always the simulator, whatever they say (-v names each client's endpoint); timeout bounds job waits, request_timeout each HTTP request (reads are retried); requests carry signatureversion=3 and expire after expires (at most 15m, on the real clock); expires = None sends neither, for servers before 4.x"},
			{Name: "userdata", Impl: userdata, Params: "(text)",
				Doc: "base64-encodes cloud-config text for deployVirtualMachine(userdata = ...)"},
		},
		Methods: []starutil.Doc{
			{Name: "cs.<apiName>", Params: "(**params, wait = True, timeout = None, confirm = False)", Doc: "any API by its name; sync APIs return the response without its <name>response wrapper, async ones wait for the job and return its jobresult (wait = False: a job); destructive APIs (destroy*, delete*, expunge*, purge*, remove*, revertSnapshot, restoreVirtualMachine, resizeVolume with shrinkok, ...) need confirm = True or --yes; apikey, signature, command, response, expires and signatureversion are set by the client"},
			{Name: "cs.call", Params: "(name, **params)", Positional: 1, Doc: "the same, with the API name as a string"},
			{Name: "cs.list", Params: "(name, **filters)", Positional: 1, Doc: "every page of a list API: the items only"},
			{Name: "cs.wait", Params: "(jobid, timeout = None)", Doc: "wait for any job id (the seed's waitjob) and return its jobresult"},
			{Name: "job.id / job.command / job.entity_id", Params: "", Doc: "the job id, its API, and the id of the resource it works on"},
			{Name: "job.status", Params: "()", Doc: "query once: 0 pending, 1 succeeded, 2 failed, 3 cancelled"},
			{Name: "job.wait", Params: "(timeout = None)", Doc: "wait for the job like cs.wait"},
		},
	}
}

// minPoll is the shortest interval between job queries a client accepts.
const minPoll = 100 * time.Millisecond

func client(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var a credArgs
	var urlArg starlark.Value = starlark.None
	timeout, poll, maxPoll := starutil.Duration(30*time.Minute), starutil.Duration(DefaultPolicy().Poll), starutil.Duration(DefaultPolicy().MaxPoll)
	var expiresArg starlark.Value = starlark.String("10m")
	reqTimeout := starutil.Duration(DefaultRequestTimeout)
	if err := starutil.Unpack(b, args, kwargs, "url?", &urlArg, "api_key??", &a.APIKey, "secret_key??", &a.Secret,
		"profile??", &a.Profile, "timeout?", &timeout, "poll?", &poll, "max_poll?", &maxPoll, "expires?", &expiresArg,
		"request_timeout?", &reqTimeout); err != nil {
		return nil, err
	}
	switch u := urlArg.(type) {
	case starlark.NoneType:
	case starlark.String:
		if u == "" { // not the simulator by accident, nor the environment's cloud
			return nil, fmt.Errorf("url is \"\": give an http(s) URL, or leave url out (None) for CLOUDSTACK_API_URL, ~/.cmk/config or the simulator under --sim")
		}
		a.URL = string(u)
	default:
		return nil, fmt.Errorf("url: got %s, want string or None", urlArg.Type())
	}
	if time.Duration(poll) < minPoll || maxPoll < poll {
		// Below minPoll a wait hammers the management server for as long
		// as the job runs.
		return nil, fmt.Errorf("poll %s and max_poll %s: want %s <= poll <= max_poll", time.Duration(poll), time.Duration(maxPoll), minPoll)
	}
	expires, err := expiry(expiresArg)
	if err != nil {
		return nil, err
	}
	if reqTimeout <= 0 {
		return nil, fmt.Errorf("request_timeout: got %s, want a positive duration", time.Duration(reqTimeout))
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	cr, ok, err := resolveCreds(a, e.Sim)
	if err != nil {
		return nil, err
	}
	c, err := endpoint(e, cr, ok)
	if err != nil {
		return nil, err
	}
	c.Timeout, c.Expires, c.RequestTimeout = time.Duration(timeout), expires, time.Duration(reqTimeout)
	c.Warnf = e.Warnf
	c.Policy.Poll, c.Policy.MaxPoll = time.Duration(poll), time.Duration(maxPoll)
	c.Tracef = e.Tracef
	if e.Terminal && !e.Quiet && !e.Verbose { // -v traces would break a redrawn line
		c.Progress = func(line string) {
			if !e.Overlaid() { // on()'s live lines own the terminal
				fmt.Fprintf(e.Stderr, "\r%s\x1b[K", line)
			}
		}
	}
	desc := c.shown()
	if e.Sim {
		desc = "simulator"
	}
	if ok { // the REPL keeps it out of its files; the value never shows it
		e.AddSecret(cr.Secret)
		if len(cr.Secret) >= 6 { // a test key "s" would blank out letters
			desc = strings.ReplaceAll(strings.ReplaceAll(desc, cr.Secret, "<redacted>"), url.PathEscape(cr.Secret), "<redacted>")
		}
	}
	return &clientValue{c: c, e: e, desc: desc}, nil
}

// expiry reads client(expires = ...): a duration up to MaxExpires, or
// None (or False) for requests without signatureversion and expires.
func expiry(v starlark.Value) (time.Duration, error) {
	if v == starlark.None || v == starlark.False {
		return 0, nil
	}
	var d starutil.Duration
	if err := d.Unpack(v); err != nil {
		return 0, fmt.Errorf("expires: %w (or None to send no expiry)", err)
	}
	if d <= 0 || time.Duration(d) > MaxExpires {
		return 0, fmt.Errorf("expires %s: want more than 0 and at most %s, as servers enforcing enforce.post.requests.and.timestamps refuse a later one (or None to send no expiry)",
			time.Duration(d), MaxExpires)
	}
	return time.Duration(d), nil
}

// endpoint makes the client for resolved credentials. Under --sim it is
// always the simulator, whatever the arguments, CLOUDSTACK_* or a profile
// say (their checks still ran, so a rehearsal refuses what a real run
// would): a rehearsal never reaches a real endpoint. -v names the endpoint
// each client uses, never the secret.
func endpoint(e *env.Env, cr creds, configured bool) (*Client, error) {
	if e.Sim {
		c, err := simClient(e)
		if err != nil {
			return nil, err
		}
		if configured {
			e.Tracef("cloudstack: client uses the simulator %s (--sim), not %s from %s", c.shown(), redactURL(cr.URL), cr.Source)
		} else {
			e.Tracef("cloudstack: client uses the simulator %s (--sim)", c.shown())
		}
		return c, nil
	}
	if e.SimFaults != "" {
		e.Warnf("cloudstack: $%s is set but this is not a --sim run: no faults are injected, calls go to %s", FaultsEnv, redactURL(cr.URL))
	}
	c := NewClient(strings.TrimRight(cr.URL, "?"), cr.APIKey, cr.Secret, e.HTTP, e.Clock)
	e.Tracef("cloudstack: client uses %s (credentials from %s, api key %s)", c.shown(), cr.Source, abbreviate(cr.APIKey))
	return c, nil
}

func userdata(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var text string
	if err := starutil.Unpack(b, args, kwargs, "text", &text); err != nil {
		return nil, err
	}
	return starlark.String(base64.StdEncoding.EncodeToString([]byte(text))), nil
}
