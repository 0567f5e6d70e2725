package cloudstack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
	"github.com/vrun-dev/vrun/builtins/env"
)

// capture records every request's parameters (query and form) and answers
// an empty list.
type capture struct {
	mu   sync.Mutex
	reqs []url.Values
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	c.mu.Lock()
	c.reqs = append(c.reqs, r.Form)
	c.mu.Unlock()
	w.Write([]byte(`{"listzonesresponse": {}}`))
}

func (c *capture) last(t *testing.T) url.Values {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	return c.reqs[len(c.reqs)-1]
}

// expiresForm is the yyyy-MM-dd'T'HH:mm:ssZ form with a +0000 offset that
// every server version's date parser accepts.
var expiresForm = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$`)

// checkV3 asserts a captured request is signed with signatureversion=3 and
// expires within 15 minutes of the wall clock (between before and after).
func checkV3(t *testing.T, q url.Values, before, after time.Time) {
	t.Helper()
	if q.Get("signatureversion") != "3" {
		t.Errorf("signatureversion = %q, want 3 (request %v)", q.Get("signatureversion"), q)
	}
	exp := q.Get("expires")
	if !expiresForm.MatchString(exp) {
		t.Fatalf("expires = %q, want yyyy-MM-ddTHH:mm:ss+0000", exp)
	}
	at, _ := time.Parse(signing.ExpiresLayout, exp)
	if at.Before(before.Truncate(time.Second)) || at.After(after.Add(MaxExpires)) {
		t.Errorf("expires %s: want within 15 minutes of the wall clock (%s .. %s)", exp, before.Format(time.RFC3339), after.Add(MaxExpires).Format(time.RFC3339))
	}
	p := map[string]string{}
	for k, v := range q {
		p[k] = v[0]
	}
	if !signing.Verify(p, csim.DefaultSecretKey) {
		t.Errorf("the signature does not cover what was sent: %v", q)
	}
}

// By default every request is signed with signatureversion=3 and an
// expiry from the real clock, even when the client's job clock (here a
// virtual one in January 2026) is elsewhere (issue 10, item 7).
func TestDefaultRequestCarriesExpires(t *testing.T) {
	cap := &capture{}
	c, _ := testClient(t, cap)
	before := time.Now()
	if _, err := c.Request(context.Background(), "listZones", nil); err != nil {
		t.Fatal(err)
	}
	checkV3(t, cap.last(t), before.Add(DefaultExpires), time.Now())
	// POST forms carry them too.
	if _, err := c.Request(context.Background(), "createVolume", map[string]string{"name": "v"}); err != nil {
		t.Fatal(err)
	}
	checkV3(t, cap.last(t), before.Add(DefaultExpires), time.Now())
}

// cloudstack.client() signs the same way; expires = None sends neither
// parameter (servers before 4.x); a later expiry than 15m is refused.
func TestClientExpiresOption(t *testing.T) {
	cap := &capture{}
	hs := httptest.NewServer(cap)
	t.Cleanup(hs.Close)
	t.Setenv("HOME", t.TempDir())
	run := func(args string) error {
		e := &env.Env{RunEnv: &env.RunEnv{Stderr: &strings.Builder{}, Stdout: &strings.Builder{}, Clock: newVirtualClock(), HTTP: hs.Client()},
			Target: env.NewTarget("local", nil)}
		return runStar(t, e, `
cs = cloudstack.client(url = "`+hs.URL+`/client/api", api_key = "`+csim.DefaultAPIKey+`", secret_key = "`+csim.DefaultSecretKey+`"`+args+`)
cs.listZones()
`)
	}
	before := time.Now()
	if err := run(""); err != nil {
		t.Fatal(err)
	}
	checkV3(t, cap.last(t), before.Add(DefaultExpires), time.Now())
	before = time.Now()
	if err := run(`, expires = "15m"`); err != nil {
		t.Fatal(err)
	}
	checkV3(t, cap.last(t), before.Add(15*time.Minute), time.Now())
	if err := run(", expires = None"); err != nil {
		t.Fatal(err)
	}
	if q := cap.last(t); q.Has("signatureversion") || q.Has("expires") {
		t.Errorf("expires = None: sent %v", q)
	}
	for _, bad := range []string{`"1h"`, `"0s"`, `"soon"`, `-5`} {
		err := run(", expires = " + bad)
		if err == nil || !strings.Contains(err.Error(), "expires") {
			t.Errorf("expires = %s: %v, want an error about expires", bad, err)
		}
	}
}

// A retry is signed again: an expiry computed for the first attempt
// would not cover one minutes later.
func TestRetryResigned(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	n := 0
	c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Form.Get("expires"))
		if n++; n == 1 {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{"listzonesresponse": {}}`))
	}))
	step := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Wall = func() time.Time { step = step.Add(time.Minute); return step }
	if _, err := c.Request(context.Background(), "listZones", nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] == seen[1] {
		t.Errorf("expires of the two attempts: %v, want two different ones", seen)
	}
}
