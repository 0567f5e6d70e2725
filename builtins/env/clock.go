package env

import (
	"context"
	"time"
)

// Clock is the time source for sleeps, waits and job polling. The simulator
// runs on a scaled clock so a ten-minute job costs seconds in a demo and
// milliseconds in tests, while recipes and the poller see simulated time.
type Clock interface {
	Now() time.Time
	// Sleep waits d of clock time, returning early with ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is wall-clock time.
type RealClock struct{}

func (RealClock) Now() time.Time { return time.Now() }

func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ScaledClock runs Speed times faster than wall-clock time, starting at
// Start. Speed 0 or less means 1.
type ScaledClock struct {
	Speed float64
	start time.Time // wall time at creation
	base  time.Time // simulated time at creation
}

// NewScaledClock returns a clock that starts at base and runs speed times
// faster than real time.
func NewScaledClock(base time.Time, speed float64) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	return &ScaledClock{Speed: speed, start: time.Now(), base: base}
}

func (c *ScaledClock) Now() time.Time {
	elapsed := time.Since(c.start)
	return c.base.Add(time.Duration(float64(elapsed) * c.Speed))
}

func (c *ScaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return RealClock{}.Sleep(ctx, time.Duration(float64(d)/c.Speed))
}
