package cloudstack

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
)

var pollPolicies = []struct {
	name string
	p    Policy
}{
	{"vrun-backoff", DefaultPolicy()},
	{"fixed-2s-cloudmonkey", Policy{Poll: 2 * time.Second, MaxPoll: 2 * time.Second}},
	{"fixed-10s-seed-waitjob", Policy{Poll: 10 * time.Second, MaxPoll: 10 * time.Second, Immediate: true}},
}

// pollOnce runs one simulated job of duration d on a virtual clock and
// returns how late its end was detected and how many queryAsyncJobResult
// calls that took.
func pollOnce(tb testing.TB, p Policy, d time.Duration) (time.Duration, int) {
	clk := newVirtualClock()
	srv := csim.New(csim.Options{Clock: clk, Durations: map[string]time.Duration{"createVolume": d}})
	var queries atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("command") == "queryAsyncJobResult" {
			queries.Add(1)
		}
		srv.ServeHTTP(w, r)
	})
	c := NewClient(SimEndpoint, csim.DefaultAPIKey, csim.DefaultSecretKey, &http.Client{Transport: handlerTransport{h}}, clk)
	c.Policy = p
	ctx := context.Background()
	zones, err := c.ListAll(ctx, "listZones", nil)
	if err != nil {
		tb.Fatal(err)
	}
	offs, _ := c.ListAll(ctx, "listDiskOfferings", map[string]string{"name": "Small"})
	res, err := c.Request(ctx, "createVolume", map[string]string{"name": "bench",
		"zoneid": zones[0].(map[string]any)["id"].(string), "diskofferingid": offs[0].(map[string]any)["id"].(string)})
	if err != nil {
		tb.Fatal(err)
	}
	done := clk.Now().Add(d)
	if _, err := c.Wait(ctx, res["jobid"].(string), "createVolume", time.Hour); err != nil {
		tb.Fatal(err)
	}
	return clk.Now().Sub(done), int(queries.Load())
}

// BenchmarkPollLatency compares how late a finished job is noticed, and at
// what cost in queries, for vrun's backoff, cloudmonkey's fixed 2 s poll
// and the seed's 10 s waitjob loop. Time is virtual, so figures are exact.
func BenchmarkPollLatency(b *testing.B) {
	for _, d := range []time.Duration{time.Second, 10 * time.Second, 100 * time.Second} {
		for _, pp := range pollPolicies {
			b.Run(fmt.Sprintf("job=%s/%s", d, pp.name), func(b *testing.B) {
				var late time.Duration
				var calls int
				for i := 0; i < b.N; i++ {
					late, calls = pollOnce(b, pp.p, d)
				}
				b.ReportMetric(late.Seconds(), "late-s")
				b.ReportMetric(float64(calls), "queries")
			})
		}
	}
}

// BenchmarkPollLatencySweep reports the worst and mean lateness over jobs
// of 0.5 s to 120 s in 0.5 s steps: single durations can flatter a fixed
// poll that happens to line up with them.
func BenchmarkPollLatencySweep(b *testing.B) {
	for _, pp := range pollPolicies {
		b.Run(pp.name, func(b *testing.B) {
			var worst, sum time.Duration
			var calls, n int
			for i := 0; i < b.N; i++ {
				worst, sum, calls, n = 0, 0, 0, 0
				for d := 500 * time.Millisecond; d <= 120*time.Second; d += 500 * time.Millisecond {
					late, q := pollOnce(b, pp.p, d)
					worst, sum, calls, n = max(worst, late), sum+late, calls+q, n+1
				}
			}
			b.ReportMetric(worst.Seconds(), "max-late-s")
			b.ReportMetric(sum.Seconds()/float64(n), "mean-late-s")
			b.ReportMetric(float64(calls)/float64(n), "mean-queries")
		})
	}
}

// TestPollTargets holds the default policy to the targets; the
// clock is virtual, so this asserts counts, not timings.
func TestPollTargets(t *testing.T) {
	for _, c := range []struct {
		d        time.Duration
		maxLate  time.Duration
		maxCalls int
	}{{time.Second, 500 * time.Millisecond, 3}, {10 * time.Second, 2 * time.Second, 8}, {100 * time.Second, 10 * time.Second, 25}} {
		late, calls := pollOnce(t, DefaultPolicy(), c.d)
		if late > c.maxLate || calls > c.maxCalls {
			t.Errorf("%s job: %s late after %d queries, want at most %s and %d", c.d, late, calls, c.maxLate, c.maxCalls)
		}
	}
}
