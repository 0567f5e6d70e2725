package csim

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// Huge pages are past the end ({"count": N}, as ApiResponseSerializer
// writes a list with a count and no items), not an overflowed slice bound;
// unparseable numbers name the parameter and the value.
func TestPagingEdges(t *testing.T) {
	_, hs, _ := newTestServer(t)
	for _, tc := range []struct {
		page, size string
		code       int
		want       string // errortext; "" for a page past the end
	}{
		{"9223372036854775807", "2", 200, ""},
		{"4611686018427387905", "2", 200, ""},
		{"2", "500", 200, ""},
		{"1", "99999999999999999999", 431, "Unable to execute API command listzones due to invalid value 99999999999999999999 for parameter pagesize"},
		{"99999999999999999999", "2", 431, "Unable to execute API command listzones due to invalid value 99999999999999999999 for parameter page"},
		{"1", "x", 431, "due to invalid value x for parameter pagesize"},
		{"", "2", 431, `"page" parameter is required when "pagesize" is specified`},
		{"1", "", 431, `"pagesize" parameter is required when "page" is specified`},
	} {
		p := map[string]string{"command": "listZones"}
		if tc.page != "" {
			p["page"] = tc.page
		}
		if tc.size != "" {
			p["pagesize"] = tc.size
		}
		code, body := call(t, hs, "GET", "secret", p)
		text, _ := body["errortext"].(string)
		pastEnd := len(body) == 1 && body["count"] == float64(2) // the seed's two zones
		if code != tc.code || (tc.want == "" && !pastEnd) || !strings.Contains(text, tc.want) {
			t.Errorf("page=%s pagesize=%s: got %d %v, want %d %q", tc.page, tc.size, code, body, tc.code, tc.want)
		}
	}
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "listZones", "page": "1", "pagesize": "1"})
	if code != 200 || len(body["zone"].([]any)) != 1 {
		t.Errorf("first page: %d %v", code, body)
	}
}

// A panicking handler answers 530 in the server's error shape and leaves
// the world unlocked for the next request.
func TestHandlerPanicAnswers530(t *testing.T) {
	s, hs, _ := newTestServer(t)
	s.byName["listBroken"] = &api{name: "listBroken", handle: func(*Server, args) (obj, *apiError) {
		var l []obj
		return l[3], nil
	}}
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "listBroken"})
	text, _ := body["errortext"].(string)
	if code != 530 || body["cserrorcode"] != float64(4250) || !strings.Contains(text, "listbroken") {
		t.Errorf("panicking handler: got %d %v, want 530 with cserrorcode 4250", code, body)
	}
	if !s.mu.TryLock() {
		t.Fatal("the world stays locked after a panicking handler")
	}
	s.mu.Unlock()
	if code, _ := call(t, hs, "GET", "secret", map[string]string{"command": "listZones"}); code != 200 {
		t.Errorf("listZones after the panic: %d", code)
	}
}

// FuzzPage: any page and pagesize give an error or at most pagesize items
// out of the filtered list, never a panic.
func FuzzPage(f *testing.F) {
	for _, s := range [][2]string{{"1", "2"}, {"9223372036854775807", "2"}, {"1", "99999999999999999999"}, {"", "-1"}, {"0", "500"}, {"-9223372036854775808", "1"}} {
		f.Add(s[0], s[1])
	}
	items := make([]obj, 7)
	for i := range items {
		items[i] = obj{"name": "z" + strconv.Itoa(i)}
	}
	srv := &Server{pageMax: defaultPageSize}
	f.Fuzz(func(t *testing.T, pg, ps string) {
		body, e := srv.page("zone", items, args{"command": "listZones", "page": pg, "pagesize": ps})
		if e != nil {
			return
		}
		l, _ := body["zone"].([]any)
		size, err := strconv.Atoi(ps)
		if ps != "" && err == nil && size > 0 && len(l) > size {
			t.Errorf("page=%q pagesize=%q: %d items", pg, ps, len(l))
		}
		if len(l) > len(items) {
			t.Errorf("page=%q pagesize=%q: %d items of %d", pg, ps, len(l), len(items))
		}
	})
}

type brokenClock struct{}

func (brokenClock) Now() time.Time { panic("clock broken") }

// A panic outside the API handlers (here in authenticate) answers 530 too.
func TestServePanicAnswers530(t *testing.T) {
	s, hs, clk := newTestServer(t)
	exp := signing.Expires(clk.t.Add(time.Minute))
	s.mu.Lock()
	s.wall = brokenClock{} // expiry is judged on the wall clock
	s.mu.Unlock()
	code, body := call(t, hs, "GET", "secret", map[string]string{"command": "listZones", "signatureversion": "3", "expires": exp})
	if code != 530 || !strings.Contains(fmt.Sprint(body["errortext"]), "clock broken") {
		t.Errorf("got %d %v, want 530", code, body)
	}
}
