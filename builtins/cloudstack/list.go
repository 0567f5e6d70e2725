package cloudstack

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
)

// maxListPages bounds a ListAll: 10,000 pages of 500 are five million
// items, more than any account has; a server that never ends a list
// (ignores page, omits count) stops there instead of looping forever.
const maxListPages = 10000

// ListAll pages through a list API (pagesize 500, the server's maximum, or
// the caller's pagesize) and returns every item. It stops on a short or
// empty page or when count items arrived, and refuses a page that repeats
// the one before (a server that ignores page would repeat it forever).
func (c *Client) ListAll(ctx context.Context, api string, params map[string]string) ([]any, error) {
	p := map[string]string{}
	for k, v := range params {
		p[k] = v
	}
	size := 500
	if s, err := strconv.Atoi(p["pagesize"]); err == nil && s > 0 {
		size = s
	}
	limit := c.MaxListPages
	if limit <= 0 {
		limit = maxListPages
	}
	items := []any{}
	var prev []any
	for page := 1; ; page++ {
		if page > limit {
			return nil, fmt.Errorf("%s: still full pages after %d pages of %d (%d items) and no count to stop at: stopping; narrow the list with filters or a larger pagesize",
				api, limit, size, len(items))
		}
		p["page"], p["pagesize"] = strconv.Itoa(page), strconv.Itoa(size)
		res, err := c.Request(ctx, api, p)
		if err != nil {
			return nil, err
		}
		var got []any
		for k, v := range res {
			if l, ok := v.([]any); ok && k != "count" {
				got = l
				break
			}
		}
		if page > 1 && len(got) > 0 && reflect.DeepEqual(got, prev) {
			return nil, fmt.Errorf("%s: page %d repeats page %d: the server ignores page=, so the list has no end: stopping with nothing (pass a filter, or pagesize large enough for one page)",
				api, page, page-1)
		}
		items = append(items, got...)
		total, ok := number(res["count"])
		if ok && total < 0 {
			return nil, fmt.Errorf("%s: page %d says count %d: not a number of items, stopping", api, page, total)
		}
		if len(got) < size || (ok && len(items) >= total) {
			return items, nil
		}
		prev = got
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
