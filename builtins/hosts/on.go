package hosts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// maxParallel bounds on()'s threads: each may hold an SSH connection.
const maxParallel = 1000

func onBuiltin(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var hostsV starlark.Value
	var fn starlark.Callable
	parallel, stopOnError := 20, false
	if err := starutil.Unpack(b, args, kwargs, "hosts", &hostsV, "fn", &fn, "parallel?", &parallel, "stop_on_error?", &stopOnError); err != nil {
		return nil, err
	}
	if parallel < 1 || parallel > maxParallel {
		return nil, fmt.Errorf("parallel: got %d, want 1 to %d", parallel, maxParallel)
	}
	e, r, err := from(th)
	if err != nil {
		return nil, err
	}
	hosts, err := r.pick(hostsV)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 {
		e.Warnf("on: no hosts to run on (after --limit %q)", r.Limit)
		return starlark.NewDict(0), nil
	}
	// fn runs on several threads at once: frozen, it cannot share mutable
	// state between hosts (results come back through its return value).
	fn.Freeze()
	for _, h := range hosts {
		r.recap.register(h.name)
	}
	results := make([]starlark.Value, len(hosts))
	ctx, cancel := context.WithCancelCause(e.Context())
	defer cancel(nil)
	prog, closeProg := newProgress(e, hosts)
	var wg sync.WaitGroup
	var firstFail error
	var failMu sync.Mutex
	sem := make(chan struct{}, parallel)
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				r.recap.record(h.name, "skipped", 0, "not started: "+firstLine(context.Cause(ctx)))
				return
			}
			if ctx.Err() != nil {
				r.recap.record(h.name, "skipped", 0, "not started: "+firstLine(context.Cause(ctx)))
				return
			}
			he := e
			if prog != nil {
				act, done := prog.start(h.name)
				defer done()
				he = e.WithActivity(act)
			}
			v, changed, err := r.runOne(ctx, th, he, h, fn)
			switch {
			case err == nil:
				results[i] = v
				r.recap.record(h.name, "ok", changed, "")
			case ctx.Err() != nil && e.Context().Err() == nil:
				// Stopped because a sibling failed (stop_on_error).
				r.recap.record(h.name, "stopped", changed, firstLine(err))
			default:
				r.recap.record(h.name, "failed", changed, firstLine(err))
				if stopOnError {
					failMu.Lock()
					if firstFail == nil {
						firstFail = fmt.Errorf("host %s failed: %s (stop_on_error: the other hosts were stopped)", h.name, firstLine(err))
						cancel(fmt.Errorf("stopped: %s failed (stop_on_error)", h.name))
					}
					failMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	closeProg() // before the caller's output and the recap
	if err := e.Context().Err(); err != nil {
		return nil, context.Cause(e.Context())
	}
	if firstFail != nil {
		return nil, firstFail
	}
	d := starlark.NewDict(len(hosts))
	for i, h := range hosts {
		v := results[i]
		if v == nil {
			v = starlark.None
		}
		d.SetKey(starlark.String(h.name), v)
	}
	return d, nil
}

// runOne calls fn(h) on a thread of its own whose commands go to h.
func (r *Resolver) runOne(ctx context.Context, parent *starlark.Thread, e *env.Env, h *Host, fn starlark.Callable) (starlark.Value, int64, error) {
	child := &starlark.Thread{Name: "on " + h.name, Load: parent.Load, Print: parent.Print}
	env.Set(child, e.WithTarget(h.target).WithContext(ctx))
	stop := context.AfterFunc(ctx, func() { child.Cancel(context.Cause(ctx).Error()) })
	defer stop()
	before := changes(h.target.Exec)
	v, err := starlark.Call(child, fn, starlark.Tuple{h}, nil)
	return v, changes(h.target.Exec) - before, err
}

// pick turns on()'s hosts argument into host values, --limit applied.
func (r *Resolver) pick(v starlark.Value) ([]*Host, error) {
	r.mu.Lock()
	inv, limit, flagHosts := r.Inv, r.Limit, r.Hosts
	r.mu.Unlock()
	var universe []string
	if inv != nil {
		universe = append(universe, inv.order...)
	}
	var specs []string
	given := map[string]*Host{}
	add := func(x starlark.Value) error {
		switch x := x.(type) {
		case *Host:
			given[x.name] = x
			specs = append(specs, x.name)
		case starlark.String:
			names, err := selectHosts(string(x), inv, universe)
			if err != nil {
				return err
			}
			specs = append(specs, names...)
		default:
			return fmt.Errorf("hosts: got %s, want host names or host values", x.Type())
		}
		return nil
	}
	switch v := v.(type) {
	case starlark.NoneType:
		if flagHosts == "" {
			return nil, errors.New("hosts: None, and no --hosts given")
		}
		if err := add(starlark.String(flagHosts)); err != nil {
			return nil, fmt.Errorf("--hosts: %v", err)
		}
	case *starlark.List, starlark.Tuple:
		it := v.(starlark.Iterable).Iterate()
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			if err := add(x); err != nil {
				return nil, err
			}
		}
	default:
		if err := add(v); err != nil {
			return nil, err
		}
	}
	if limit != "" {
		keep, err := selectHosts(limit, inv, append(universe, specs...))
		if err != nil {
			return nil, fmt.Errorf("--limit: %v", err)
		}
		ok := map[string]bool{}
		for _, k := range keep {
			ok[k] = true
		}
		var kept []string
		for _, s := range specs {
			if ok[s] {
				kept = append(kept, s)
			}
		}
		specs = kept
	}
	var out []*Host
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s] {
			continue
		}
		seen[s] = true
		h := given[s]
		if h == nil {
			var err error
			if h, err = r.host(s, false); err != nil {
				return nil, fmt.Errorf("host %s: %v", s, err)
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// firstLine is an error's first line, its Starlark backtrace left out.
func firstLine(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		msg = ee.Msg
	}
	line, _, _ := strings.Cut(msg, "\n")
	return line
}
