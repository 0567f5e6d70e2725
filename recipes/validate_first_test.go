package recipes_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/cssim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// issue 11: a bad parameter fails the run before any API call that
// creates or changes something (the simulator's request log).
func TestBadParametersFailBeforeCreating(t *testing.T) {
	for _, c := range []struct {
		recipe string
		args   []string
		want   string
	}{
		{"scratch-volume.star", []string{"--vm", "nope"}, `no VM with display name "nope"`},
		{"coreos-template.star", []string{"--channel", "nightly"}, `no CoreOS channel "nightly"`},
		{"coreos-template.star", []string{"--workstation", "nope"}, `no virtual machine with displayname = "nope"`},
		{"coreos-template.star", []string{"--ostype", "Plan 9"}, `no OS type`},
		{"scratch-volume.star", []string{"--gb", "0"}, `gb 0: want a size`},
	} {
		h := startest.SimHost(t)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var out strings.Builder
		in := interp.MustNew(interp.Options{Ctx: ctx, Stdout: &out, Stderr: &out, SimHost: h,
			Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)})
		_, err := in.RunRecipe(c.recipe, c.args)
		cancel()
		if err == nil || !strings.Contains(interp.Render(err), c.want) {
			t.Errorf("%s %v: %v, want %q", c.recipe, c.args, err, c.want)
		}
		var called []string
		h.WithLock(func(h *sim.Host) { called = cssim.Server(h).Called() })
		for _, api := range called {
			if !strings.HasPrefix(api, "list") {
				t.Errorf("%s %v called %s before failing (calls %v)", c.recipe, c.args, api, called)
			}
		}
	}
}
