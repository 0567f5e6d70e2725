package builtins_test

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/interp/sim"
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
	// Installing every fake on one host must not collide silently.
	builtins.InstallSim(entries, sim.New())
}
