package core_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// stepClock is a virtual clock whose Sleep advances time at once and
// records the pause, so backoff sequences can be checked exactly.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func execStepped(t *testing.T, o interp.Options, src string) (*stepClock, starlark.StringDict, error) {
	t.Helper()
	clock := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	o.Clock, o.SimHost = clock, sim.New()
	if o.Stderr == nil {
		o.Stderr = &bytes.Buffer{}
	}
	o.Stdout = o.Stderr
	in := interp.MustNew(o)
	g, err := in.ExecFile(in.Thread("test"), "test.star", []byte(src))
	return clock, g, err
}

func TestWaitBackoff(t *testing.T) {
	clock, g, err := execStepped(t, interp.Options{}, `
calls = []
def never():
    calls.append(1)
    return None
r = catch(wait.until, never, timeout = "10s", every = "1s", max_every = "2s")
`)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	// ×1.5 from 1s capped at 2s, the last pause cut at the deadline, and
	// one last call there: 7 calls.
	want := []time.Duration{time.Second, 1500 * time.Millisecond, 2 * time.Second, 2 * time.Second, 2 * time.Second, 1500 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Errorf("pauses = %v, want %v", clock.sleeps, want)
	}
	if n := g["calls"].(*starlark.List).Len(); n != 7 {
		t.Errorf("calls = %d, want 7", n)
	}
	msg, _ := g["r"].(starlark.HasAttrs).Attr("error")
	if want := `"wait.until: timed out after 10s waiting for never"`; msg.String() != want {
		t.Errorf("error = %s, want %s", msg, want)
	}
}

func TestWaitDefaults(t *testing.T) {
	clock, _, err := execStepped(t, interp.Options{}, `catch(wait.until, lambda: False)`)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	var total time.Duration
	for _, d := range clock.sleeps {
		total += d
		if d > 10*time.Second {
			t.Errorf("pause %s is longer than the default max_every 10s", d)
		}
	}
	if clock.sleeps[0] != 500*time.Millisecond || total != 10*time.Minute {
		t.Errorf("first pause %s, total %s; want 500ms and 10m0s", clock.sleeps[0], total)
	}
}

func TestWaitProgress(t *testing.T) {
	var stderr bytes.Buffer
	_, _, err := execStepped(t, interp.Options{Terminal: true, Stderr: &stderr}, `
n = []
def vm_running():
    n.append(1)
    return len(n) > 3
wait.until(vm_running, every = "2s", what = "the VM")
`)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	out := stderr.String()
	// pauses 2s + 3s + 4.5s = 9.5s, redrawn at least each second
	for _, want := range []string{"\r\x1b[Kwaiting for the VM: 0s", "\r\x1b[Kwaiting for the VM: 5s", "\r\x1b[Kwaiting for the VM: 10s"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress %q missing from %q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress line not erased at the end: %q", out)
	}

	stderr.Reset()
	if _, _, err := execStepped(t, interp.Options{Terminal: false, Stderr: &stderr}, `catch(wait.until, lambda: 0, timeout = "5s")`); err != nil {
		t.Fatal(interp.Render(err))
	}
	if _, _, err := execStepped(t, interp.Options{Terminal: true, Quiet: true, Stderr: &stderr}, `catch(wait.until, lambda: 0, timeout = "5s")`); err != nil {
		t.Fatal(interp.Render(err))
	}
	if stderr.Len() != 0 {
		t.Errorf("progress printed off a terminal or under --quiet: %q", stderr.String())
	}
}

// TestCancelEndsWaits checks that sleep, wait.until and catch give way to
// Ctrl-C on the real clock: the run ends with the interrupt. The thread is
// made by hand, without interp's thread cancellation, so only the builtins'
// own handling of the context can end the sleep.
func TestCancelEndsWaits(t *testing.T) {
	for src, want := range map[string]string{
		`sleep("1h")`: "sleep: interrupted",
		`wait.until(lambda: False, timeout = "1h", every = "1m")`: "wait.until: waiting for lambda at test.star:1:",
		`catch(sleep, "1h")`: "sleep: interrupted",
		`catch(wait.until, lambda: False, timeout = "1h")`: "wait.until: waiting for lambda at test.star:1:",
	} {
		ctx, cancel := context.WithCancelCause(context.Background())
		in := interp.MustNew(interp.Options{Ctx: ctx, Stdout: io.Discard, Stderr: io.Discard})
		th := &starlark.Thread{Name: "test"}
		env.Set(th, in.Env)
		done := make(chan error, 1)
		go func() {
			_, err := starlark.ExecFileOptions(interp.FileOptions(), th, "test.star", src, in.Predeclared)
			done <- err
		}()
		time.Sleep(20 * time.Millisecond) // let it reach the sleep; the outcome is the same either way
		cancel(interp.ErrInterrupted)
		err := <-done
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("%s: error = %v, want %q and the interrupt", src, err, want)
		}
		if code := interp.ExitCode(ctx, err); code != 130 {
			t.Errorf("%s: exit code %d, want 130", src, code)
		}
	}
}

// TestSleepUsesClock checks sleep goes through the run's clock (scaled
// under --sim) rather than wall time.
func TestSleepUsesClock(t *testing.T) {
	clock, _, err := execStepped(t, interp.Options{}, `sleep("2d"); sleep(duration("90s")); sleep(1.5)`)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	want := []time.Duration{48 * time.Hour, 90 * time.Second, 1500 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Errorf("sleeps = %v, want %v", clock.sleeps, want)
	}
}

var _ env.Clock = (*stepClock)(nil)

// TestRetryPauses checks @stdlib//retry.star's pauses, float backoff included.
func TestRetryPauses(t *testing.T) {
	clock, _, err := execStepped(t, interp.Options{}, `
load("@stdlib//retry.star", "retry")
def down():
    fail("api down")
r = catch(retry, down, attempts = 4, delay = "1s", backoff = 1.5)
`)
	if err != nil {
		t.Fatal(interp.Render(err))
	}
	want := []time.Duration{time.Second, 1500 * time.Millisecond, 2250 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Errorf("pauses = %v, want %v", clock.sleeps, want)
	}
}
