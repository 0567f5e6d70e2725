package builtins_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// TestRegistrations fails when a builtin lacks a doc, params or an
// implementation, or when two modules claim the same name.
func TestRegistrations(t *testing.T) {
	entries := builtins.All()
	seen := map[string]string{}
	for _, e := range entries {
		if err := e.Module.Validate(); err != nil {
			t.Error(err)
		}
		if e.Module.Name != "" && e.Module.Doc == "" {
			t.Errorf("module %s has no doc", e.Module.Name)
		}
		names := []string{e.Module.Name}
		if e.Module.Name == "" {
			names = names[:0]
			for _, f := range e.Module.Funcs {
				names = append(names, f.Name)
			}
		}
		for _, n := range names {
			if prev, dup := seen[n]; dup {
				t.Errorf("%q registered by both %q and %q", n, prev, e.Module.Name)
			}
			seen[n] = e.Module.Name
		}
	}
	if len(builtins.Docs(entries)) == 0 {
		t.Fatal("no builtins registered")
	}
	// Installing every fake on one host must not collide.
	if _, err := builtins.NewSimHost(entries); err != nil {
		t.Fatal(err)
	}
}

// TestSimCommandCollision: two modules that register a fake for the same
// command fail at start-up, naming the command, instead of the last one
// silently winning.
func TestSimCommandCollision(t *testing.T) {
	fake := func(context.Context, *sim.Host, exec.Cmd) exec.Result { return sim.OK("") }
	a := builtins.Entry{Module: &starutil.Module{Name: "a"}, Sim: func(h *sim.Host) { h.Register("ip", fake) }}
	b := builtins.Entry{Module: &starutil.Module{Name: "b"}, Sim: func(h *sim.Host) { h.Register("ip", fake) }}
	_, err := builtins.NewSimHost([]builtins.Entry{a, b})
	if err == nil || !strings.Contains(err.Error(), `command "ip" registered twice`) {
		t.Fatalf("got %v, want an error naming the command registered twice", err)
	}
	// A module colliding with the host's own basic tools fails the same way.
	c := builtins.Entry{Module: &starutil.Module{Name: "c"}, Sim: func(h *sim.Host) { h.Register("cat", fake) }}
	if _, err := builtins.NewSimHost([]builtins.Entry{c}); err == nil || !strings.Contains(err.Error(), `"cat"`) {
		t.Fatalf("got %v, want a collision with the basic cat", err)
	}
	// interp refuses to start such a run.
	if _, err := interp.New(interp.Options{Sim: true, Entries: []builtins.Entry{a, b}}); err == nil {
		t.Fatal("interp.New accepted colliding fakes")
	}
}
