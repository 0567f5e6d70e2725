package cloudstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// standIn is a list server with one real server's quirk: it verifies the
// signature as verifyRequest does, then serves n virtual machines.
type standIn struct {
	n         int
	max       int  // default.page.size: a larger pagesize is a 431
	pageCount bool // count is the page length (apache/cloudstack#3890)
	silentCap bool // pages are cut to max without a 431
	mu        sync.Mutex
	pagesizes []int
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	p := map[string]string{}
	for k, v := range r.Form {
		p[k] = v[0]
	}
	reply := func(status int, body any) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"listvirtualmachinesresponse": body})
	}
	if !signing.Verify(p, csim.DefaultSecretKey) {
		reply(401, map[string]any{"uuidList": []any{}, "errorcode": 401, "errortext": "unable to verify user credentials and/or request signature"})
		return
	}
	size, page := s.max, 1
	if v, ok := p["pagesize"]; ok {
		size, _ = strconv.Atoi(v)
		page, _ = strconv.Atoi(p["page"])
	}
	s.mu.Lock()
	s.pagesizes = append(s.pagesizes, size)
	s.mu.Unlock()
	if size > s.max {
		if !s.silentCap {
			reply(431, map[string]any{"uuidList": []any{}, "errorcode": 431, "cserrorcode": 4350,
				"errortext": fmt.Sprintf("Page size can't exceed max allowed page size value: %d", s.max)})
			return
		}
		size = s.max
	}
	var items []any
	for i := (page - 1) * size; i < page*size && i < s.n; i++ {
		items = append(items, map[string]any{"id": fmt.Sprintf("vm-%04d", i)})
	}
	count := s.n
	if s.pageCount {
		count = len(items)
	}
	switch {
	case len(items) > 0:
		reply(200, map[string]any{"count": count, "virtualmachine": items})
	case s.n > 0 && !s.pageCount:
		reply(200, map[string]any{"count": count}) // a page past the end
	default:
		reply(200, map[string]any{})
	}
}

// cs.list returns all 1234 items from servers that report count as the
// page length or allow pages of at most 100 (issue 10, items 5 and 6), and
// warns only when count and what arrived disagree.
func TestListAllStandIns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		srv    *standIn
		warn   string
		sizes  []int
		params map[string]string
	}{
		{"count is the page length", &standIn{n: 1234, max: 500, pageCount: true},
			"cloudstack: listVirtualMachines: the server's count said 500, 1234 items arrived (some CloudStack releases report the page length as count", []int{500, 500, 500}, nil},
		{"page limit 100", &standIn{n: 1234, max: 100}, "", append([]int{500}, repeat(100, 13)...), nil},
		{"page limit 100, caller asks 200", &standIn{n: 1234, max: 100}, "", append([]int{200}, repeat(100, 13)...), map[string]string{"pagesize": "200"}},
		{"page limit 100 without a 431", &standIn{n: 1234, max: 100, silentCap: true}, "", append([]int{500}, repeat(100, 12)...), nil},
		{"page limit 100, count is the page length", &standIn{n: 1234, max: 100, pageCount: true},
			"the server's count said 100, 1234 items arrived", append([]int{500}, repeat(100, 13)...), nil},
		{"exactly two pages", &standIn{n: 1000, max: 500}, "", []int{500, 500}, nil},
		{"exactly two pages, count is the page length", &standIn{n: 1000, max: 500, pageCount: true},
			"the server's count said 500, 1000 items arrived", []int{500, 500, 500}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := testClient(t, tc.srv)
			var warnings []string
			c.Warnf = func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
			items, err := c.ListAll(context.Background(), "listVirtualMachines", tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.srv.n {
				t.Fatalf("%d items, want %d", len(items), tc.srv.n)
			}
			for i, it := range items {
				if id := it.(map[string]any)["id"]; id != fmt.Sprintf("vm-%04d", i) {
					t.Fatalf("item %d is %v: pages overlap or are missing", i, id)
				}
			}
			if fmt.Sprint(tc.srv.pagesizes) != fmt.Sprint(tc.sizes) {
				t.Errorf("page sizes asked: %v, want %v", tc.srv.pagesizes, tc.sizes)
			}
			switch {
			case tc.warn == "" && len(warnings) > 0:
				t.Errorf("unexpected warning: %v", warnings)
			case tc.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tc.warn)):
				t.Errorf("warnings %q, want one with %q", warnings, tc.warn)
			}
		})
	}
}

// The page limit a list learned holds for the client's next lists: no
// second 431.
func TestListAllRemembersPageLimit(t *testing.T) {
	srv := &standIn{n: 150, max: 100}
	c, _ := testClient(t, srv)
	for range 2 {
		if items, err := c.ListAll(context.Background(), "listVirtualMachines", nil); err != nil || len(items) != 150 {
			t.Fatalf("%d items, %v", len(items), err)
		}
	}
	if want := "[500 100 100 100 100]"; fmt.Sprint(srv.pagesizes) != want {
		t.Errorf("page sizes asked: %v, want %s", srv.pagesizes, want)
	}
}

func repeat(v, n int) []int {
	l := make([]int, n)
	for i := range l {
		l[i] = v
	}
	return l
}

// Hostile page-limit answers end with an error or a bounded walk, never a
// loop: a limit of 0, one no smaller than asked, ever smaller limits, and
// a server that cuts every page to one item while claiming a huge count.
func TestListAllHostileLimits(t *testing.T) {
	answer := func(f func(size, page int) (int, string)) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			size, _ := strconv.Atoi(r.Form.Get("pagesize"))
			page, _ := strconv.Atoi(r.Form.Get("page"))
			status, body := f(size, page)
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		})
	}
	limit := func(n string) string {
		return `{"listzonesresponse": {"errorcode": 431, "cserrorcode": 4350, "errortext": "Page size can't exceed max allowed page size value: ` + n + `"}}`
	}
	for _, tc := range []struct {
		name string
		h    http.Handler
		err  string
	}{
		{"limit 0", answer(func(int, int) (int, string) { return 431, limit("0") }), "431 (4350) Page size can't exceed max allowed page size value: 0"},
		{"limit not smaller", answer(func(int, int) (int, string) { return 431, limit("500") }), "value: 500"},
		{"limit huge", answer(func(int, int) (int, string) { return 431, limit("99999999999999999999") }), "value: 99999999999999999999"},
		{"ever smaller", answer(func(size, _ int) (int, string) { return 431, limit(strconv.Itoa(size - 1)) }), "value: 0"},
		{"one item a page, huge count", answer(func(_, page int) (int, string) {
			return 200, fmt.Sprintf(`{"listzonesresponse": {"count": 1000000000, "zone": [{"id": "%d"}]}}`, page)
		}), "still full pages after 10 pages of 1 (10 items)"},
	} {
		c, _ := testClient(t, tc.h)
		c.MaxListPages = 10
		_, err := c.ListAll(context.Background(), "listZones", nil)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
	}
}
