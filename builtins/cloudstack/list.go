package cloudstack

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
)

// maxListPages bounds a ListAll: 10,000 pages of 500 are five million
// items, more than any account has; a server that never ends a list
// (ignores page, omits count) stops there instead of looping forever.
const maxListPages = 10000

// ListAll pages through a list API and returns every item. It asks for
// pages of 500 (default.page.size, the usual maximum), the caller's
// pagesize, or the smaller limit the server taught it: a 431 "Page size
// can't exceed max allowed page size value: N", or a first page shorter
// than asked while count says more. It does not trust count to stop: some
// releases report the page length as count (apache/cloudstack#3890,
// #4191, #5229), so it pages on while pages come back full and stops on a
// short or empty one, warning when count and what arrived disagree. A
// page that repeats the one before (a server that ignores page) is refused.
func (c *Client) ListAll(ctx context.Context, api string, params map[string]string) ([]any, error) {
	p := map[string]string{}
	for k, v := range params {
		p[k] = v
	}
	size := 500
	if s, err := strconv.Atoi(p["pagesize"]); err == nil && s > 0 {
		size = s
	}
	if learned := c.learnedPageSize(); learned > 0 && learned < size {
		size = learned
	}
	limit := c.MaxListPages
	if limit <= 0 {
		limit = maxListPages
	}
	items := []any{}
	var prev []any
	firstCount, haveCount := 0, false
	for page := 1; ; page++ {
		if page > limit {
			return nil, fmt.Errorf("%s: still full pages after %d pages of %d (%d items): stopping; narrow the list with filters or a larger pagesize",
				api, limit, size, len(items))
		}
		p["page"], p["pagesize"] = strconv.Itoa(page), strconv.Itoa(size)
		res, err := c.Request(ctx, api, p)
		if max, ok := pageLimit(err); ok && max < size {
			// Start over at the server's size: page numbers mean other
			// items now.
			c.tracef("cloudstack: %s: the server allows pages of at most %d, not %d: paging again with %d", api, max, size, max)
			size, items, prev, page, haveCount = max, items[:0], nil, 0, false
			c.learnPageSize(max)
			continue
		}
		if err != nil {
			return nil, err
		}
		got := listOf(res)
		if page > 1 && len(got) > 0 && reflect.DeepEqual(got, prev) {
			return nil, fmt.Errorf("%s: page %d repeats page %d: the server ignores page=, so the list has no end: stopping with nothing (pass a filter, or pagesize large enough for one page)",
				api, page, page-1)
		}
		total, ok := number(res["count"])
		if ok && total < 0 {
			return nil, fmt.Errorf("%s: page %d says count %d: not a number of items, stopping", api, page, total)
		}
		if ok && !haveCount {
			firstCount, haveCount = total, true
		}
		items = append(items, got...)
		if page == 1 && len(got) > 0 && len(got) < size && ok && total > len(got) {
			// A server that cuts pages to its limit without a 431: its
			// first page shows the limit.
			c.tracef("cloudstack: %s: the first page has %d items of %d: paging with %d", api, len(got), total, len(got))
			size = len(got)
			c.learnPageSize(size)
		}
		// A count larger than a page cannot be the page length: trusted,
		// it saves asking for the empty page after a full last one.
		done := ok && total > size && len(items) >= total
		if len(got) < size || done {
			if haveCount && firstCount != len(items) && c.Warnf != nil {
				c.Warnf("cloudstack: %s: the server's count said %d, %d items arrived (some CloudStack releases report the page length as count; items may also have changed while paging): returning the %d",
					api, firstCount, len(items), len(items))
			}
			return items, nil
		}
		prev = got
	}
}

// listOf returns the list in a list answer: its one array (not count).
func listOf(res map[string]any) []any {
	for k, v := range res {
		if l, ok := v.([]any); ok && k != "count" {
			return l
		}
	}
	return nil
}

// pageLimit reads the largest page size from BaseListCmd's 431 answer
// to a pagesize over default.page.size.
func pageLimit(err error) (int, bool) {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 431 {
		return 0, false
	}
	const prefix = "Page size can't exceed max allowed page size value: "
	i := strings.Index(ae.Text, prefix)
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimRight(ae.Text[i+len(prefix):], ".")))
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

func (c *Client) learnedPageSize() int {
	if c.pageSize == nil {
		return 0
	}
	return int(c.pageSize.Load())
}

func (c *Client) learnPageSize(n int) {
	if c.pageSize != nil {
		c.pageSize.Store(int64(n))
	}
}

func (c *Client) tracef(format string, args ...any) {
	if c.Tracef != nil {
		c.Tracef(format, args...)
	}
}

// knownAPIs stand in for listApis when an endpoint does not answer it
// (restricted roles): the commands the seeds and recipes use.
func knownAPIs() []string {
	return []string{
		"attachVolume", "createSnapshot", "createTemplate", "createVolume", "deleteSnapshot", "deleteTemplate",
		"deleteVolume", "deployVirtualMachine", "destroyVirtualMachine", "detachVolume", "listApis",
		"listAsyncJobs", "listDiskOfferings", "listOsTypes", "listServiceOfferings", "listSnapshots",
		"listTemplates", "listVirtualMachines", "listVolumes", "listZones", "queryAsyncJobResult",
		"rebootVirtualMachine", "startVirtualMachine", "stopVirtualMachine",
	}
}

// apiCache holds one endpoint's API names, fetched at most once per run.
type apiCache struct {
	once  sync.Once
	names []string
}

// APINames returns the sorted API names of c's endpoint from listApis,
// cached per endpoint for the run in e; the built-in list of known names
// when listApis fails.
func APINames(e *env.Env, c *Client) []string {
	v, _ := e.Shared("cloudstack.apis "+c.Endpoint, func() (any, error) { return &apiCache{}, nil })
	cache := v.(*apiCache)
	cache.once.Do(func() {
		res, err := c.Request(e.Context(), "listApis", map[string]string{"listall": "true"})
		if err == nil {
			list, _ := res["api"].([]any)
			for _, a := range list {
				if m, ok := a.(map[string]any); ok {
					if n, ok := m["name"].(string); ok && validAPIName(n) {
						cache.names = append(cache.names, n)
					}
				}
			}
		}
		if len(cache.names) == 0 {
			e.Tracef("cloudstack: listApis gave no names (%v); completing from the built-in list", err)
			cache.names = knownAPIs()
		}
		sort.Strings(cache.names)
	})
	return append([]string(nil), cache.names...)
}

// CompletionNames returns what a REPL should complete after "v.": the API
// names and methods of a cloudstack.client (or a job's attributes), and
// nil for any other value. It may call listApis once per endpoint.
func CompletionNames(v starlark.Value) []string {
	switch v := v.(type) {
	case *clientValue:
		return v.AttrNames()
	case *jobValue:
		return v.AttrNames()
	}
	return nil
}
