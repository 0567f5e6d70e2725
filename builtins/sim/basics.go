package sim

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
)

// registerBasics installs the few coreutils that file.* and simple recipes
// use, answering as GNU coreutils does (messages and exit codes).
func registerBasics(h *Host) {
	h.Register("true", func(context.Context, *Host, exec.Cmd) exec.Result { return OK("") })
	h.Register("false", func(context.Context, *Host, exec.Cmd) exec.Result { return Fail(1, "") })
	h.Register("echo", func(_ context.Context, _ *Host, c exec.Cmd) exec.Result {
		return OK(strings.Join(c.Argv[1:], " ") + "\n")
	})
	h.Register("cat", cat)
	h.Register("dd", dd)
	h.Register("test", testCmd)
	registerFileOps(h) // mkdir, rm, chmod
}

func cat(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	var out []byte
	for _, p := range c.Argv[1:] {
		if p == "--" {
			continue
		}
		data, ok := h.ReadFile(p)
		if !ok && h.kind(p, true) == "loop" {
			return Fail(1, fmt.Sprintf("cat: %s: Too many levels of symbolic links\n", p))
		}
		if !ok && h.IsDir(p) {
			return Fail(1, fmt.Sprintf("cat: %s: Is a directory\n", p))
		}
		if !ok {
			return Fail(1, fmt.Sprintf("cat: %s: No such file or directory\n", p))
		}
		out = append(out, data...)
	}
	return exec.Result{Stdout: out}
}

// dd supports the one form file.write uses: dd status=none of=PATH.
func dd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	for _, a := range c.Argv[1:] {
		if p, ok := strings.CutPrefix(a, "of="); ok {
			// As the real dd: the directory must exist and p must not be one.
			switch {
			case p == "":
				return Fail(1, "dd: failed to open '': No such file or directory\n")
			case h.IsDir(p):
				return Fail(1, fmt.Sprintf("dd: failed to open '%s': Is a directory\n", p))
			case h.kind(p, true) == "loop":
				return Fail(1, fmt.Sprintf("dd: failed to open '%s': Too many levels of symbolic links\n", p))
			case !h.IsDir(path.Dir(p)):
				return Fail(1, fmt.Sprintf("dd: failed to open '%s': No such file or directory\n", p))
			}
			h.WriteFile(p, c.Stdin, 0)
			return OK("")
		}
	}
	return Fail(1, "dd: the simulated host supports only dd of=PATH with data on stdin\n")
}

func testCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	if len(c.Argv) != 3 {
		return Fail(2, "test: the simulated host supports only test -e|-f|-d|-b|-L|-h PATH\n")
	}
	p := c.Argv[2]
	var ok bool
	switch c.Argv[1] {
	case "-e":
		k := h.kind(p, true)
		_, dev := h.storage.Device(p)
		ok = k == "file" || k == "dir" || dev
	case "-b": // the block devices of the storage model (disks, LVs, loops)
		_, ok = h.storage.Device(p)
	case "-f":
		ok = h.kind(p, true) == "file"
	case "-d":
		ok = h.kind(p, true) == "dir"
	case "-L", "-h":
		ok = h.kind(p, false) == "link"
	default:
		return Fail(2, "test: the simulated host supports only test -e, -f, -d, -b, -L and -h\n")
	}
	if ok {
		return OK("")
	}
	return Fail(1, "")
}

func (h *Host) sleep(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	var total time.Duration
	for _, a := range c.Argv[1:] {
		d, err := time.ParseDuration(a)
		if err != nil {
			d, err = time.ParseDuration(a + "s")
		}
		if err != nil {
			return Fail(1, fmt.Sprintf("sleep: invalid time interval '%s'\n", a)), nil
		}
		total += d
	}
	sleep := h.Sleep
	if sleep == nil {
		sleep = env.RealClock{}.Sleep
	}
	if err := sleep(ctx, total); err != nil {
		return exec.Result{Argv: c.Argv}, err
	}
	return exec.Result{Argv: c.Argv}, nil
}
