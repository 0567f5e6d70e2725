package cloudstack

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
)

// A server that never answers fails each request after RequestTimeout,
// naming the API and the endpoint; reads are retried, writes are not.
func TestRequestTimeout(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{}) // a POST's unread body keeps r.Context() alive
	c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // before the server's Close
	c.RequestTimeout = 20 * time.Millisecond
	_, err := c.Request(context.Background(), "listZones", nil)
	if err == nil || !strings.Contains(err.Error(), "/client/api: no answer to listZones within 20ms (request_timeout)") || hits.Load() != 5 {
		t.Errorf("GET: err %v after %d requests, want the timeout after 5", err, hits.Load())
	}
	hits.Store(0)
	_, err = c.Request(context.Background(), "createVolume", map[string]string{"name": "x"})
	if err == nil || !strings.Contains(err.Error(), "no answer to createVolume within") || hits.Load() != 1 {
		t.Errorf("POST: err %v after %d requests, want the timeout after 1", err, hits.Load())
	}
}

// The in-process simulator's slow fault ends at the deadline too.
func TestRequestTimeoutInProcess(t *testing.T) {
	srv := csim.New(csim.Options{})
	srv.AddFault(csim.Fault{Command: "createVolume", Kind: csim.FaultSlow, Delay: time.Hour, Count: 1})
	c := NewClient(SimEndpoint, csim.DefaultAPIKey, csim.DefaultSecretKey, &http.Client{Transport: handlerTransport{srv}}, newVirtualClock())
	c.RequestTimeout = 10 * time.Millisecond
	_, err := c.Request(context.Background(), "createVolume", map[string]string{"name": "x"})
	if err == nil || err.Error() != "POST "+SimEndpoint+": no answer to createVolume within 10ms (request_timeout); "+
		"createVolume may or may not have been carried out: check with listVolumes or listAsyncJobs before running it again" {
		t.Errorf("got %v", err)
	}
}

// user:password@ in the URL shows neither in errors nor in retry traces.
func TestEndpointUserinfoHidden(t *testing.T) {
	var hits atomic.Int32
	c, _ := testClient(t, flaky(csim.New(csim.Options{}), 100, 503, &hits))
	c.Endpoint = strings.Replace(c.Endpoint, "http://", "http://admin:hunter2@", 1)
	var trace strings.Builder
	c.Tracef = func(f string, a ...any) { fmt.Fprintf(&trace, f+"\n", a...) }
	_, err := c.Request(context.Background(), "listZones", nil)
	if err == nil || !strings.Contains(trace.String(), "retry") {
		t.Fatalf("want a failure after retries: %v\n%s", err, trace.String())
	}
	for _, s := range []string{err.Error(), trace.String()} {
		if strings.Contains(s, "hunter2") || strings.Contains(s, "admin") {
			t.Errorf("userinfo shown: %s", s)
		}
	}
	if _, _, err := resolveCreds(credArgs{URL: "ftp://admin:hunter2@cloud/client/api", APIKey: "k", Secret: "s"}, false); err == nil ||
		strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), `got "ftp://cloud/client/api"`) {
		t.Errorf("bad scheme: %v", err)
	}
}

// A malformed ~/.cmk/config is reported by path and line, never by the
// line's text, which may hold the secret key.
func TestMalformedConfigHidesLine(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"CLOUDSTACK_API_URL", "CLOUDSTACK_API_KEY", "CLOUDSTACK_SECRET_KEY"} {
		t.Setenv(v, "")
	}
	path := filepath.Join(home, ".cmk", "config")
	os.MkdirAll(filepath.Dir(path), 0o700)
	for _, tc := range []struct{ cfg, want string }{
		{"profile = prod\n\n[prod]\nurl = https://cloud.example.com/client/api\napikey = PK\nsecretkey CMKSECRET999\n",
			path + ":6: malformed line (want [profile] or key = value; its text is not shown, it may hold a key)"},
		{"[prod]\n  = CMKSECRET999\n", path + ":2: malformed line"},
	} {
		os.WriteFile(path, []byte(tc.cfg), 0o600)
		_, _, err := resolveCreds(credArgs{}, false)
		if err == nil || strings.Contains(err.Error(), "CMKSECRET999") || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.cfg, err, tc.want)
		}
	}
}
