package cloudstack

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
)

// A 307 to another origin would re-send the signed POST body (API key,
// signature) there: it is not followed, and the error names the API, the
// status and the Location, and says the call may or may not have been
// carried out. The other server receives nothing.
func TestRedirectToOtherOriginNotFollowed(t *testing.T) {
	var other atomic.Int32
	hsOther := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		w.Write([]byte(`{"createvolumeresponse": {"id": "1", "jobid": "2"}}`))
	}))
	t.Cleanup(hsOther.Close)
	for _, code := range []int{307, 308, 301} {
		c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, hsOther.URL+"/client/api?from=redirect", code)
		}))
		for _, command := range []string{"createVolume", "listZones"} {
			_, err := c.Request(context.Background(), command, map[string]string{"name": "x"})
			want := fmt.Sprintf(": %s answered HTTP %d %s redirecting to %s/client/api?…, not followed: it is another origin", command, code, http.StatusText(code), hsOther.URL)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%d %s: got %v, want %q", code, command, err, want)
			}
			if command == "createVolume" && err != nil && !strings.HasSuffix(err.Error(), "; createVolume may or may not have been carried out: check with listVolumes or listAsyncJobs before running it again") {
				t.Errorf("%d POST: %v, want the may-or-may-not note", code, err)
			}
		}
	}
	if n := other.Load(); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
}

// A 302 (or 303) would turn the POST into a GET answered by anything:
// issue 8 saw {"count": 0} taken as success. It is an error, even on the
// same origin.
func TestRedirectPostToGetIsError(t *testing.T) {
	var gets atomic.Int32
	sim := csim.New(csim.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("/client/api", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		sim.ServeHTTP(w, r)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		w.Write([]byte(`{"createvolumeresponse": {"count": 0}}`))
	})
	c, _ := testClient(t, mux)
	res, err := c.Request(context.Background(), "createVolume", map[string]string{"name": "x"})
	want := ": createVolume answered HTTP 302 Found redirecting to " + strings.TrimSuffix(c.Endpoint, "/client/api") + "/elsewhere, not followed: following it would turn the POST into a GET; createVolume may or may not have been carried out"
	if err == nil || !strings.Contains(err.Error(), want) || res != nil {
		t.Errorf("got %v %v, want %q", res, err, want)
	}
	if gets.Load() != 0 {
		t.Errorf("the redirect was followed %d times", gets.Load())
	}
	// The same origin with the method kept is followed (a moved path).
	if _, err := c.Request(context.Background(), "listZones", nil); err != nil {
		t.Errorf("plain GET: %v", err)
	}
}

// A same-origin 307 keeps the POST and its body: followed.
func TestRedirectSameOriginFollowed(t *testing.T) {
	sim := csim.New(csim.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("/old/api", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/client/api?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
	})
	mux.Handle("/client/api", sim)
	c, _ := testClient(t, mux)
	c.Endpoint = strings.Replace(c.Endpoint, "/client/api", "/old/api", 1)
	res, err := c.Request(context.Background(), "listZones", nil)
	if err != nil || res["count"] == nil {
		t.Fatalf("GET via 307: %v %v", res, err)
	}
	// The POST arrives signed with its body: the simulator checks the
	// signature, then answers that the offering is missing.
	_, err = c.Request(context.Background(), "createVolume", map[string]string{"name": "x"})
	if ae, ok := err.(*APIError); !ok || ae.Code != 431 || !strings.Contains(ae.Text, "disk Offering Id") {
		t.Fatalf("POST via 307: %v", err)
	}
	// A loop ends as an error after maxRedirects, not a hang.
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusTemporaryRedirect)
	})
	c.Endpoint = strings.Replace(c.Endpoint, "/old/api", "/loop", 1)
	if _, err := c.Request(context.Background(), "createVolume", nil); err == nil || !strings.Contains(err.Error(), "not followed: more than 5 redirects; createVolume may or may not") {
		t.Errorf("redirect loop: %v", err)
	}
	// No Location at all.
	mux.HandleFunc("/bare", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusSeeOther) })
	c.Endpoint = strings.Replace(c.Endpoint, "/loop", "/bare", 1)
	if _, err := c.Request(context.Background(), "listZones", nil); err == nil || !strings.Contains(err.Error(), "listZones answered HTTP 303 See Other redirecting to nowhere, not followed: it gives no Location") {
		t.Errorf("no Location: %v", err)
	}
}

// A POST whose answer is cut short may have been carried out: the error
// says so and how to check; a read is retried instead.
func TestTruncatedAnswer(t *testing.T) {
	var hits atomic.Int32
	c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, `{"deployvirtualmachineresponse": {"id": "a`)
	}))
	_, err := c.Request(context.Background(), "deployVirtualMachine", nil)
	if err == nil || !strings.Contains(err.Error(), "reading the response: unexpected EOF; deployVirtualMachine may or may not have been carried out: check with listVirtualMachines or listAsyncJobs") || hits.Load() != 1 {
		t.Errorf("POST: %v after %d requests", err, hits.Load())
	}
	hits.Store(0)
	if _, err := c.Request(context.Background(), "listZones", nil); err == nil || hits.Load() != 5 || strings.Contains(err.Error(), "carried out") {
		t.Errorf("GET: %v after %d requests, want 5 tries", err, hits.Load())
	}
}

// pager serves a list: n items in all, count or not, and optionally
// ignoring page (every answer is page 1).
func pager(n int, withCount, ignorePage bool, hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		r.ParseForm()
		page, _ := strconv.Atoi(r.Form.Get("page"))
		size, _ := strconv.Atoi(r.Form.Get("pagesize"))
		if ignorePage {
			page = 1
		}
		var items []string
		for i := (page - 1) * size; i < page*size && (n < 0 || i < n); i++ {
			items = append(items, fmt.Sprintf(`{"id": "%d"}`, i))
		}
		count := ""
		if withCount {
			count = fmt.Sprintf(`"count": %d, `, n)
		}
		fmt.Fprintf(w, `{"listzonesresponse": {%s"zone": [%s]}}`, count, strings.Join(items, ","))
	})
}

// cs.list stops on a short or empty page without count, refuses a server
// that ignores page (it looped forever), and bounds the pages.
func TestListAllEnds(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name          string
		n             int
		count, ignore bool
		items, hits   int
		err           string
	}{
		{"count", 7, true, false, 7, 4, ""},
		{"no count, short page", 7, false, false, 7, 4, ""},
		{"no count, empty last page", 6, false, false, 6, 4, ""},
		{"no count, empty list", 0, false, false, 0, 1, ""},
		{"ignores page", 6, false, true, 0, 2, "listZones: page 2 repeats page 1: the server ignores page=, so the list has no end"},
		{"never ends", -1, false, false, 0, 10, "listZones: still full pages after 10 pages of 2 (20 items): stopping"},
	} {
		var hits atomic.Int32
		c, _ := testClient(t, pager(tc.n, tc.count, tc.ignore, &hits))
		c.MaxListPages = 10
		items, err := c.ListAll(ctx, "listZones", map[string]string{"pagesize": "2"})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || int(hits.Load()) != tc.hits {
				t.Errorf("%s: %v after %d requests, want %q after %d", tc.name, err, hits.Load(), tc.err, tc.hits)
			}
			continue
		}
		if err != nil || len(items) != tc.items || int(hits.Load()) != tc.hits {
			t.Errorf("%s: %d items, %v, %d requests; want %d items in %d", tc.name, len(items), err, hits.Load(), tc.items, tc.hits)
		}
	}
}

// Nonsense from a server stops with a clear error instead of a guess: a
// negative count, an undefined job status, an answer beyond 64 MiB.
func TestServerNonsense(t *testing.T) {
	ctx := context.Background()
	c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch r.Form.Get("command") {
		case "listZones":
			io.WriteString(w, `{"listzonesresponse": {"count": -1, "zone": [{"id": "1"}, {"id": "2"}]}}`)
		case "queryAsyncJobResult":
			io.WriteString(w, `{"queryasyncjobresultresponse": {"jobid": "j1", "jobstatus": 7}}`)
		case "listVolumes":
			io.WriteString(w, `{"listvolumesresponse": {"volume": [{"name": "`)
			chunk := strings.Repeat("x", 1<<20)
			for i := 0; i < 65; i++ {
				io.WriteString(w, chunk)
			}
			io.WriteString(w, `"}]}}`)
		}
	}))
	if _, err := c.ListAll(ctx, "listZones", map[string]string{"pagesize": "2"}); err == nil || !strings.Contains(err.Error(), "listZones: page 1 says count -1: not a number of items, stopping") {
		t.Errorf("count -1: %v", err)
	}
	if _, err := c.Wait(ctx, "j1", "createVolume", 0); err == nil || !strings.Contains(err.Error(), "job j1 (createVolume) answered jobstatus 7, which CloudStack does not define") {
		t.Errorf("jobstatus 7: %v", err)
	}
	if _, err := c.Request(ctx, "listVolumes", nil); err == nil || !strings.Contains(err.Error(), "the answer to listVolumes is larger than 64 MiB, not read") {
		t.Errorf("huge answer: %v", err)
	}
}

// A Location's userinfo and query (which may echo the signed request) are
// not shown.
func TestRedirectLocationRedacted(t *testing.T) {
	c, _ := testClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://admin:hunter2@other.example/client/api?apiKey=K&signature=SIG#frag")
		w.WriteHeader(http.StatusMovedPermanently)
	}))
	_, err := c.Request(context.Background(), "listZones", nil)
	if err == nil || !strings.Contains(err.Error(), "redirecting to https://other.example/client/api?…, not followed: it is another origin") {
		t.Fatalf("got %v", err)
	}
	for _, s := range []string{"hunter2", "admin", "SIG", "frag"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("%q shown: %v", s, err)
		}
	}
}
