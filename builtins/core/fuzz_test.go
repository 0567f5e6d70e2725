package core_test

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// FuzzSize checks ParseSize, behind size(), on any text: a parsed size is
// never negative and reads back the same from its byte count.
func FuzzSize(f *testing.F) {
	for _, s := range []string{"10G", "10GiB", "10GB", "1.5G", "512m", "4KB", "0", " 3 G ", "1073741824", "1.5", "ten", "", "G", "1..5G", "7P"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := starutil.ParseSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseSize(%q) = %d, want >= 0", s, n)
		}
		back, err := starutil.ParseSize(strconv.FormatInt(n, 10))
		if err != nil || back != n {
			t.Fatalf("ParseSize(%q) = %d, but ParseSize(%q) = %d, %v", s, n, strconv.FormatInt(n, 10), back, err)
		}
	})
}

// FuzzSizeUnits checks every unit against exact integer arithmetic: the
// result is n*unit when that fits in an int64, an error otherwise.
func FuzzSizeUnits(f *testing.F) {
	units := []struct {
		text string
		mult *big.Int
	}{
		{"", big.NewInt(1)}, {"K", big.NewInt(1 << 10)}, {"KiB", big.NewInt(1 << 10)}, {"KB", big.NewInt(1e3)},
		{"M", big.NewInt(1 << 20)}, {"MB", big.NewInt(1e6)}, {"G", big.NewInt(1 << 30)}, {"gib", big.NewInt(1 << 30)},
		{"GB", big.NewInt(1e9)}, {"T", big.NewInt(1 << 40)}, {"TB", big.NewInt(1e12)}, {"P", big.NewInt(1 << 50)},
		{"PB", big.NewInt(1e15)},
	}
	f.Add(uint32(10), uint8(6))
	f.Add(uint32(0), uint8(0))
	f.Add(uint32(4096), uint8(11))
	f.Add(uint32(math.MaxUint32), uint8(12))
	f.Fuzz(func(t *testing.T, n uint32, u uint8) {
		unit := units[int(u)%len(units)]
		text := fmt.Sprintf("%d%s", n, unit.text)
		want := new(big.Int).Mul(big.NewInt(int64(n)), unit.mult)
		got, err := starutil.ParseSize(text)
		switch {
		case want.IsInt64() && (err != nil || got != want.Int64()):
			t.Fatalf("ParseSize(%q) = %d, %v; want %s", text, got, err, want)
		case !want.IsInt64() && err == nil:
			t.Fatalf("ParseSize(%q) = %d; want an out-of-range error (%s)", text, got, want)
		}
	})
}

// FuzzDuration checks ParseDuration, behind duration() and every timeout:
// a parsed duration is never negative and its String() reads back equal.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"10m", "0.5s", "2d", "1.5d", "1h30m", "90s", "0", "-1s", "soon", "", "d", "300ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := starutil.ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %s, want >= 0", s, d)
		}
		back, err := starutil.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %s, but ParseDuration(%q) = %s, %v", s, d, d.String(), back, err)
		}
	})
}

// FuzzDurationString checks that every non-negative duration survives
// String() then ParseDuration exactly.
func FuzzDurationString(f *testing.F) {
	f.Add(int64(0))
	f.Add(int64(time.Hour + 30*time.Minute))
	f.Add(int64(1))
	f.Add(int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, n int64) {
		if n < 0 {
			n = -(n + 1)
		}
		d := time.Duration(n)
		back, err := starutil.ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %s, %v; want %s", d.String(), back, err, d)
		}
	})
}
