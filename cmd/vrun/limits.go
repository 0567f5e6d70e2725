package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// limits are the memory bounds of a run, from the environment:
// VRUN_MAX_MEMORY (the heap; "off" for none), VRUN_MAX_READ (recipe,
// load()ed and jsonnet files) and VRUN_MAX_OUTPUT (one command's output).
type limits struct {
	memory int64 // 0: off
	env    env.Limits
}

// defaultMaxMemory is half the machine's memory, at most 4 GiB: far more
// than vrun needs, and well clear of the kernel's OOM killer.
func defaultMaxMemory() int64 {
	const most = 4 << 30
	total := memTotal()
	if total <= 0 || total/2 > most {
		return most
	}
	return total / 2
}

// memTotal reads MemTotal from /proc/meminfo (0 when unknown).
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func readLimits(getenv func(string) string) (limits, error) {
	l := limits{memory: defaultMaxMemory()}
	size := func(name string, dst *int64, off bool) error {
		v := strings.TrimSpace(getenv(name))
		switch {
		case v == "":
			return nil
		case off && v == "off":
			*dst = 0
			return nil
		}
		n, err := starutil.ParseSize(v)
		if err == nil && n == 0 {
			err = fmt.Errorf("zero")
		}
		if err != nil {
			hint := ""
			if off {
				hint = ` or "off"`
			}
			return fmt.Errorf("%s=%q: want a size such as 512M or 4G%s", name, v, hint)
		}
		*dst = n
		return nil
	}
	if err := size("VRUN_MAX_MEMORY", &l.memory, true); err != nil {
		return l, err
	}
	if err := size("VRUN_MAX_READ", &l.env.Read, false); err != nil {
		return l, err
	}
	return l, size("VRUN_MAX_OUTPUT", &l.env.Output, false)
}

// watchMemory caps the heap for the run of ctx (see interp.WatchMemory);
// over the cap, cancel ends the run with the error, and if that does not
// bring the heap down vrun exits with one line, exit 1.
func watchMemory(ctx context.Context, l limits, cancel func(error), stderr io.Writer) {
	if l.memory <= 0 {
		return
	}
	// Above the cap: the collector works harder close to it without
	// thrashing before the watchdog sees the heap pass it.
	debug.SetMemoryLimit(l.memory + l.memory/4)
	go interp.WatchMemory(ctx, l.memory, 50*time.Millisecond, cancel, func(err *interp.MemoryError) {
		fmt.Fprintf(stderr, "vrun: %v\n", err)
		os.Exit(1)
	})
}
