package hosts

import (
	"context"
	"io/fs"
	"sync/atomic"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// counting counts the changing commands (Cmd.Mutate) that succeeded on a
// target: the recap's "changed". run() and sh() always count, as
// Ansible's command module always reports changed.
type counting struct {
	inner   exec.Executor
	changed atomic.Int64
}

func (c *counting) Run(ctx context.Context, cmd exec.Cmd) (exec.Result, error) {
	res, err := c.inner.Run(ctx, cmd)
	if err == nil && cmd.Mutate && res.Code == 0 && !res.TimedOut {
		c.changed.Add(1)
	}
	return res, err
}

func (c *counting) Unwrap() exec.Executor { return c.inner }

// changes returns the target's count so far (0 for targets not counted,
// such as the run's own).
func changes(ex exec.Executor) int64 {
	if c, ok := ex.(*counting); ok {
		return c.changed.Load()
	}
	return 0
}

// Files passes the inner executor's file transfer on, counting writes as
// changes as it counts dd's.
func (c *counting) Files() exec.Files {
	if f := exec.FilesOf(c.inner); f != nil {
		return countingFiles{f, c}
	}
	return nil
}

type countingFiles struct {
	exec.Files
	c *counting
}

func (f countingFiles) WriteFile(ctx context.Context, path string, data []byte, mode fs.FileMode, setMode bool) error {
	err := f.Files.WriteFile(ctx, path, data, mode, setMode)
	if err == nil {
		f.c.changed.Add(1)
	}
	return err
}
