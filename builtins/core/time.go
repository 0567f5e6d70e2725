package core

import (
	"context"
	"fmt"
	"io"
	"time"

	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func timeFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "size", Params: "(text_or_int)", Impl: size,
			Doc: "Returns a size in bytes: \"10G\" and \"10GiB\" are 10*2^30, \"10GB\" is 10*10^9, ints pass through. " +
				"A fraction of K/M/G/T/P (\"9.57G\") is rounded down to whole 512-byte sectors, as lvcreate -L reads it " +
				"(lvcreate then rounds up to whole extents); bytes and KB/MB/GB... must come to whole bytes."},
		{Name: "duration", Params: "(text)", Impl: duration,
			Doc: "Returns a duration from text such as \"90s\", \"1h30m\" or \"2d\" (a duration or a number of seconds also passes)."},
		{Name: "sleep", Params: "(duration)", Impl: sleep,
			Doc: "Sleeps for a duration (\"5s\", a duration or seconds) on the run's clock; Ctrl-C ends it."},
	}
}

func waitModule() *starutil.Module {
	return &starutil.Module{Name: "wait", Doc: "polling until a condition holds", Funcs: []starutil.Func{
		{Name: "until", Params: "(fn, timeout = \"10m\", every = \"0.5s\", max_every = \"10s\", what = None)", Impl: waitUntil,
			Doc: "Calls fn until it returns a truthy value and returns it; the pause grows x1.5 from every to max_every; fails after timeout naming what."},
	}}
}

func size(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s starutil.Size
	if err := starutil.Unpack(b, args, kwargs, "text_or_int", &s); err != nil {
		return nil, err
	}
	return starlark.MakeInt64(int64(s)), nil
}

func duration(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d starutil.Duration
	if err := starutil.Unpack(b, args, kwargs, "text", &d); err != nil {
		return nil, err
	}
	return starlarktime.Duration(d), nil
}

func sleep(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d starutil.Duration
	if err := starutil.Unpack(b, args, kwargs, "duration", &d); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if err := e.Clock.Sleep(e.Context(), time.Duration(d)); err != nil {
		return nil, fmt.Errorf("%w", cause(e, err))
	}
	return starlark.None, nil
}

// backoff is how much the pause between polls grows after each call.
const backoff = 1.5

func waitUntil(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	w := waiter{timeout: starutil.Duration(10 * time.Minute),
		every: starutil.Duration(500 * time.Millisecond), maxEvery: starutil.Duration(10 * time.Second)}
	if err := starutil.Unpack(b, args, kwargs, "fn", &fn, "timeout?", &w.timeout,
		"every?", &w.every, "max_every?", &w.maxEvery, "what??", &w.what); err != nil {
		return nil, err
	}
	if w.every <= 0 {
		return nil, fmt.Errorf("every must be positive, got %s", time.Duration(w.every))
	}
	for _, kv := range kwargs {
		if kv[0] == starlark.String("max_every") && w.maxEvery < w.every {
			return nil, fmt.Errorf("max_every (%s) is shorter than every (%s)", time.Duration(w.maxEvery), time.Duration(w.every))
		}
	}
	if w.what == "" {
		w.what = describe(fn)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	return w.poll(th, e, fn)
}

// waiter is one wait.until call.
type waiter struct {
	timeout, every, maxEvery starutil.Duration
	what                     string
}

func (w *waiter) poll(th *starlark.Thread, e *env.Env, fn starlark.Callable) (starlark.Value, error) {
	p := &progress{e: e, what: w.what, start: e.Clock.Now()}
	defer p.clear()
	deadline := p.start.Add(time.Duration(w.timeout))
	pause, maxPause := time.Duration(w.every), max(time.Duration(w.maxEvery), time.Duration(w.every))
	for {
		p.clear() // fn may print or run commands that trace under -v
		v, err := starlark.Call(th, fn, nil, nil)
		if err != nil {
			return nil, err
		}
		if v.Truth() {
			return v, nil
		}
		left := deadline.Sub(e.Clock.Now())
		if left <= 0 {
			return nil, fmt.Errorf("timed out after %s waiting for %s", time.Duration(w.timeout), w.what)
		}
		if err := p.sleep(min(pause, left)); err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", w.what, cause(e, err))
		}
		pause = min(time.Duration(float64(pause)*backoff), maxPause)
	}
}

// describe names fn for messages: its name, or where a lambda was written.
func describe(fn starlark.Callable) string {
	if f, ok := fn.(*starlark.Function); ok && f.Name() == "lambda" {
		return "lambda at " + f.Position().String()
	}
	return fn.Name()
}

// progress redraws "waiting for <what>: 35s" on a terminal while a wait
// sleeps, and erases it when the wait ends.
type progress struct {
	e     *env.Env
	what  string
	start time.Time
	drawn bool
}

// An overlay (on()'s live lines) owns the terminal while it shows.
func (p *progress) active() bool {
	return p.e.Terminal && !p.e.Quiet && p.e.Stderr != nil && !p.e.Overlaid()
}

// sleep waits d on the run's clock, in steps of at most a second of clock
// time on a terminal so the elapsed counter keeps moving.
func (p *progress) sleep(d time.Duration) error {
	if !p.active() {
		return p.e.Clock.Sleep(p.e.Context(), d)
	}
	for d > 0 {
		p.draw()
		step := min(d, time.Second)
		if err := p.e.Clock.Sleep(p.e.Context(), step); err != nil {
			return err
		}
		d -= step
	}
	p.draw()
	return nil
}

func (p *progress) draw() {
	elapsed := p.e.Clock.Now().Sub(p.start).Round(time.Second)
	fmt.Fprintf(p.e.Stderr, "\r\x1b[Kwaiting for %s: %s", p.what, elapsed)
	p.drawn = true
}

func (p *progress) clear() {
	if p.drawn {
		io.WriteString(p.e.Stderr, "\r\x1b[K")
		p.drawn = false
	}
}

// cause is why the run's context ended (interrupted, --timeout), for a
// builtin stopped by it; err when the context is still live.
func cause(e *env.Env, err error) error {
	if c := context.Cause(e.Context()); c != nil {
		return c
	}
	return err
}
