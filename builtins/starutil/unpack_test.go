package starutil

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"0": 0, "512": 512, "10G": 10 << 30, "10GiB": 10 << 30, "10gb": 10e9, "1.5G": 3 << 29,
		"100M": 100 << 20, "976563KiB": 976563 << 10, "2T": 2 << 40, " 4 k ": 4096,
		"9007199254740993": 9007199254740993, // exact: no float rounding
		"8191P":            8191 << 50,
		// Fractions of binary units: whole 512-byte sectors, rounded down
		// as lvcreate -L does (lvm2 2.03.16 on this machine: -L 9.57G made
		// 10275708928 bytes with 1 KiB extents, -L 1.3k 1024).
		"9.57G": 10275708928, "9.57g": 10275708928, "9.57GiB": 10275708928, "1.3k": 1024, "1.9K": 1536,
		"2.5k": 2560, ".5M": 1 << 19, "5.G": 5 << 30, "0.0G": 0, "0.75K": 512, "1.000001T": 1<<40 + 1099264,
		// Decimal units stay exact bytes.
		"1.5KB": 1500, "9.57GB": 9570000000,
	}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "G", "10X", "1.3B", "-1G", "8192P", "8388608T", "9223372036854775808", "1e3",
		"0.1K", "0.25k", "1.5", "1.0001KB", "1..5G", ".G", "1.2.3M", "8191.99999P0", "8192.0P"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{"90s": 90 * time.Second, "1h30m": 90 * time.Minute, "2d": 48 * time.Hour, "0.5s": 500 * time.Millisecond}
	for in, want := range good {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "-1d", "-5s", "110000d", "NaNd", "infd", "1e300d"} {
		if got, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestUnpackDuration(t *testing.T) {
	ok := map[starlark.Value]time.Duration{
		starlark.MakeInt(90): 90 * time.Second, starlark.Float(0.5): 500 * time.Millisecond,
		starlark.String("2m"): 2 * time.Minute, starlarktime.Duration(time.Hour): time.Hour,
	}
	for v, want := range ok {
		var d Duration
		if err := d.Unpack(v); err != nil || time.Duration(d) != want {
			t.Errorf("Unpack(%s) = %v, %v; want %v", v, time.Duration(d), err, want)
		}
	}
	bad := []starlark.Value{
		starlark.Float(math.NaN()), starlark.Float(math.Inf(1)), starlark.Float(1e300), starlark.MakeInt(-1),
		starlark.MakeBigInt(new(big.Int).Lsh(big.NewInt(1), 80)), starlarktime.Duration(-time.Second), starlark.None,
	}
	for _, v := range bad {
		var d Duration
		if err := d.Unpack(v); err == nil {
			t.Errorf("Unpack(%s) = %v, want an error", v, time.Duration(d))
		}
	}
}

// A huge size text is not echoed whole in the error.
func TestParseSizeClipsHugeText(t *testing.T) {
	_, err := ParseSize("0." + strings.Repeat("0", 100000) + "1G")
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "less than one 512-byte sector") {
		t.Errorf("got %.300v", err)
	}
}
