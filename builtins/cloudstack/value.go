package cloudstack

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// clientValue is what cloudstack.client() returns: any API is an attribute
// (cs.listZones), plus call, wait and list. AttrNames lists the endpoint's
// APIs for dir() and the REPL's completion.
type clientValue struct {
	c    *Client
	e    *env.Env
	desc string // endpoint or "simulator", for String
}

var (
	_ starlark.HasAttrs = (*clientValue)(nil)
	_ starlark.HasAttrs = (*jobValue)(nil)
)

func (cv *clientValue) String() string        { return fmt.Sprintf("<cloudstack.client %s>", cv.desc) }
func (cv *clientValue) Type() string          { return "cloudstack.client" }
func (cv *clientValue) Freeze()               {}
func (cv *clientValue) Truth() starlark.Bool  { return true }
func (cv *clientValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", cv.Type()) }

func (cv *clientValue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "call":
		return starutil.NewBuiltin("cloudstack.call", cv.call), nil
	case "wait":
		return starutil.NewBuiltin("cloudstack.wait", cv.wait), nil
	case "list":
		return starutil.NewBuiltin("cloudstack.list", cv.list), nil
	}
	if !validAPIName(name) {
		return nil, nil
	}
	return starutil.NewBuiltin("cloudstack."+name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		if len(args) > 0 {
			return nil, fmt.Errorf("API parameters are keyword arguments, got %d positional", len(args))
		}
		return cv.invoke(b.Name(), name, kwargs)
	}), nil
}

// AttrNames are the endpoint's API names (listApis, fetched once per
// endpoint and run) plus call, list and wait.
func (cv *clientValue) AttrNames() []string {
	names := append(APINames(cv.e, cv.c), "call", "list", "wait")
	sort.Strings(names)
	return names
}

func validAPIName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// destructive tells the APIs that need confirm = True or --yes: by
// prefix, the ones that lose data or state under another verb, and
// resizeVolume only when it may shrink.
func destructive(api string, params map[string]string) bool {
	for _, p := range []string{"destroy", "delete", "expunge", "purge", "remove"} {
		if strings.HasPrefix(api, p) {
			return true
		}
	}
	switch api {
	case "revertSnapshot", "revertToVMSnapshot", "restoreVirtualMachine", "disassociateIpAddress",
		"releaseIpAddress", "releasePublicIpRange", "releaseDedicatedZone", "releaseDedicatedHost",
		"releaseDedicatedCluster", "releaseDedicatedPod", "resetVpnConnection", "archiveEvents", "archiveAlerts",
		"cleanVMReservations":
		return true
	case "resizeVolume":
		return strings.EqualFold(params["shrinkok"], "true")
	}
	return false
}

// target names what a destructive call works on, for its error.
func target(params map[string]string) string {
	var parts []string
	for _, k := range []string{"id", "ids", "virtualmachineid", "volumeid", "snapshotid", "vmsnapshotid", "ipaddressid", "name"} {
		if v, ok := params[k]; ok {
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " on " + strings.Join(parts, " ")
}

// apiErr names an API call's error after the API (cloudstack.createVolume),
// also when it came through cs.call or cs.list.
func apiErr(fname string, err error) error { return &starutil.Error{Builtin: fname, Err: err} }

// invoke calls an API: sync ones return the unwrapped response, async ones
// wait for the job (or return a job with wait = False).
func (cv *clientValue) invoke(fname, api string, kwargs []starlark.Tuple) (starlark.Value, error) {
	ctl, rest, err := splitControls(kwargs)
	if err != nil {
		return nil, apiErr(fname, err)
	}
	params, err := toParams(rest)
	if err != nil {
		return nil, apiErr(fname, err)
	}
	if destructive(api, params) && !cv.e.Confirmed(ctl.confirm) {
		return nil, apiErr(fname, fmt.Errorf("destructive operation%s: pass confirm = True or run vrun with --yes", target(params)))
	}
	if j, ok := cv.resumed(api); ok { // a resumed run re-attaches, never submits again
		if !ctl.wait {
			return j, nil
		}
		return cv.waitTracked(fname, j, time.Duration(ctl.timeout), true)
	}
	res, err := cv.c.Request(cv.e.Context(), api, params)
	if err != nil {
		return nil, apiErr(fname, err)
	}
	if jobID := idString(res["jobid"]); jobID != "" && !isRead(api) {
		j := &jobValue{cv: cv, id: jobID, command: api, entity: idString(res["id"])}
		if cv.e.Jobs != nil {
			cv.e.Jobs.Submitted(j.id, api, j.entity)
		}
		if !ctl.wait {
			return j, nil
		}
		return cv.waitTracked(fname, j, time.Duration(ctl.timeout), false)
	}
	if strings.HasPrefix(api, "list") && listOf(res) == nil && (len(res) == 0 || len(res) == 1 && res["count"] != nil) {
		// {} (nothing matches) or {"count": N} (a page past the end).
		count := res["count"]
		if count == nil {
			count = 0
		}
		res = map[string]any{"count": count, listKey(api): []any{}}
	}
	return toValue(res)
}

// controls are the keyword arguments vrun keeps for itself; the rest are
// API parameters.
type controls struct {
	wait, confirm bool
	timeout       starutil.Duration
}

func splitControls(kwargs []starlark.Tuple) (controls, []starlark.Tuple, error) {
	c := controls{wait: true}
	var rest []starlark.Tuple
	for _, kv := range kwargs {
		var err error
		switch name := string(kv[0].(starlark.String)); name {
		case "wait":
			err = boolArg(kv[1], &c.wait)
		case "confirm":
			err = boolArg(kv[1], &c.confirm)
		case "timeout":
			if kv[1] != starlark.None {
				err = c.timeout.Unpack(kv[1])
			}
		default:
			rest = append(rest, kv)
		}
		if err != nil {
			return c, nil, fmt.Errorf("%s: %v", kv[0].(starlark.String).GoString(), err)
		}
	}
	return c, rest, nil
}

// listKey guesses the item key of an empty list answer ({} or a page past
// the end, {"count": N}), so recipes can
// index .volume or .zone without a special case.
func listKey(api string) string {
	k := strings.ToLower(strings.TrimPrefix(api, "list"))
	switch {
	case k == "asyncjobs":
		return k
	case strings.HasSuffix(k, "sses"), strings.HasSuffix(k, "xes"):
		return strings.TrimSuffix(k, "es")
	case strings.HasSuffix(k, "ies"):
		return strings.TrimSuffix(k, "ies") + "y"
	}
	return strings.TrimSuffix(k, "s")
}

func boolArg(v starlark.Value, dst *bool) error {
	b, ok := v.(starlark.Bool)
	if !ok {
		return fmt.Errorf("got %s, want bool", v.Type())
	}
	*dst = bool(b)
	return nil
}

// idString reads an id that may be a UUID string or, on old servers, a number.
func idString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

// toValue converts a decoded response to a frozen Starlark value.
func toValue(x any) (starlark.Value, error) {
	v, err := starutil.ToValue(x)
	if err != nil {
		return nil, err
	}
	v.Freeze()
	return v, nil
}

func (cv *clientValue) call(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starutil.UnpackPositional(b, args, nil, 1, &name); err != nil {
		return nil, err
	}
	if !validAPIName(name) {
		return nil, fmt.Errorf("%q is not an API name", name)
	}
	return cv.invoke("cloudstack."+name, name, kwargs)
}

func (cv *clientValue) wait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var jobID string
	var timeout starutil.Duration
	if err := starutil.Unpack(b, args, kwargs, "jobid", &jobID, "timeout?", &timeout); err != nil {
		return nil, err
	}
	return cv.waitJob(b.Name(), jobID, "", time.Duration(timeout))
}

// waitJob re-attaches to a job: the first query goes out at once.
func (cv *clientValue) waitJob(fname, jobID, command string, timeout time.Duration) (starlark.Value, error) {
	return cv.waitTracked(fname, &jobValue{cv: cv, id: jobID, command: command}, timeout, true)
}

// waitTracked waits for j and tells the run's job tracker when the job
// ended (not when the wait stopped while the job goes on).
func (cv *clientValue) waitTracked(fname string, j *jobValue, timeout time.Duration, immediate bool) (starlark.Value, error) {
	c := *cv.c
	c.Policy.Immediate = c.Policy.Immediate || immediate
	jr, err := c.Wait(cv.e.Context(), j.id, j.command, timeout)
	var je *JobError
	if cv.e.Jobs != nil && (err == nil || errors.As(err, &je)) {
		cv.e.Jobs.Ended(j.id)
	}
	if err != nil {
		return nil, apiErr(fname, err)
	}
	return toValue(jr)
}

// resumed is the job a previous, interrupted run of this step left running
// for api, if the run's journal holds one.
func (cv *clientValue) resumed(api string) (*jobValue, bool) {
	if cv.e.Jobs == nil {
		return nil, false
	}
	id, entity, ok := cv.e.Jobs.Pending(api)
	if !ok {
		return nil, false
	}
	cv.e.Tracef("cloudstack: re-attaching to job %s (%s) from the journal instead of submitting %s again", id, api, api)
	return &jobValue{cv: cv, id: id, command: api, entity: entity}, true
}

func (cv *clientValue) list(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starutil.UnpackPositional(b, args, nil, 1, &name); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(name, "list") || !validAPIName(name) {
		return nil, fmt.Errorf("got %q, want a list API such as \"listVirtualMachines\"", name)
	}
	params, err := toParams(kwargs)
	if err != nil {
		return nil, err
	}
	items, err := cv.c.ListAll(cv.e.Context(), name, params)
	if err != nil {
		return nil, apiErr("cloudstack."+name, err)
	}
	return toValue(items)
}
