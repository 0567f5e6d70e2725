package recipes_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// passThrough wraps another executor and counts what it passes on, as a
// dry-run, record or SSH-multiplexing layer would.
type passThrough struct {
	inner exec.Executor
	n     atomic.Int64
}

func (p *passThrough) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	p.n.Add(1)
	return p.inner.Run(ctx, c)
}

func (p *passThrough) Unwrap() exec.Executor { return p.inner }

// TestRecipesThroughWrappingExecutor runs every shipped recipe with the
// simulated host behind a wrapping executor: host-level features (the
// CloudStack simulator sharing the host's disks) reach the host through
// the wrapper, and the output is the same as without it.
func TestRecipesThroughWrappingExecutor(t *testing.T) {
	for _, r := range []struct {
		file string
		args []string
	}{
		{"coreos-template.star", nil},
		{"scratch-volume.star", []string{"--gb", "20"}},
		{"sheepdog-volume.star", nil},
		{"local-mirror.star", nil},
		{"xen-vlan.star", nil},
		{"libvirt-guest.star", nil},
		{"lxc-containers.star", nil},
	} {
		t.Run(r.file, func(t *testing.T) {
			run := func(wrap bool) (string, int64) {
				h := startest.SimHost(t)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				var out strings.Builder
				o := interp.Options{Ctx: ctx, Stdout: &out, Stderr: &out, SimHost: h,
					Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)}
				var pt *passThrough
				if wrap {
					pt = &passThrough{inner: h}
					o.Exec = pt
				}
				res, err := interp.MustNew(o).RunRecipe(r.file, r.args)
				if err != nil {
					t.Fatalf("wrapped=%v: %s\n%s", wrap, interp.Render(err), out.String())
				}
				out.WriteString(interp.Pretty(res, 80))
				if pt == nil {
					return out.String(), 0
				}
				return out.String(), pt.n.Load()
			}
			plain, _ := run(false)
			wrapped, n := run(true)
			if plain != wrapped {
				t.Errorf("output differs through a wrapper:\n--- plain\n%s\n--- wrapped\n%s", plain, wrapped)
			}
			if n == 0 && r.file == "sheepdog-volume.star" {
				t.Error("the wrapper saw no command: the recipe bypassed the target's executor")
			}
		})
	}
}
