package sim

import (
	"context"
	"fmt"
	"path"
	"syscall"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// runuser -u USER -- COMMAND... as util-linux 2.38 answers: an unknown
// user is refused (exit 1), else the command runs. The simulated host has
// one set of permissions, so the command runs as if root ran it.

func registerRunuser(h *Host) { h.Register("runuser", runuser) }

func runuser(ctx context.Context, h *Host, c exec.Cmd) exec.Result {
	i := 1
	var user string
	for ; i < len(c.Argv); i++ {
		a := c.Argv[i]
		if a == "--" {
			i++
			break
		}
		if a == "-u" && i+1 < len(c.Argv) {
			user, i = c.Argv[i+1], i+1
			continue
		}
		return Fail(1, fmt.Sprintf("runuser: the simulated host supports only runuser -u USER -- COMMAND..., not %s\n", a))
	}
	if user == "" || i >= len(c.Argv) {
		return Fail(1, "runuser: the simulated host supports only runuser -u USER -- COMMAND...\n")
	}
	if _, ok := h.users.User(user); !ok {
		return Fail(1, fmt.Sprintf("runuser: user %s does not exist or the user entry does not contain all the required fields\n", user))
	}
	inner := c
	inner.Argv = c.Argv[i:]
	t, ok := h.tools[path.Base(inner.Argv[0])]
	if !ok {
		return Fail(127, fmt.Sprintf("runuser: failed to execute %s: No such file or directory\n", inner.Argv[0]))
	}
	return t(ctx, h, inner)
}

// badDir is exec.Local's answer to a working directory that is not one.
func (h *Host) badDir(c exec.Cmd) error {
	if c.Dir == "" || h.IsDir(c.Dir) {
		return nil
	}
	why := syscall.ENOENT
	if h.kind(c.Dir, true) == "file" {
		why = syscall.ENOTDIR
	}
	return fmt.Errorf("cannot run %s: %w", exec.QuoteArgv(c.Argv), why)
}
