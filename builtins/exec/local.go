package exec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"syscall"
	"time"
)

// Local runs commands on this machine.
type Local struct {
	// Env is the base environment; nil means os.Environ().
	Env []string
}

// Run starts c in its own process group with LC_ALL=C, so tool output is in
// the format the parsers expect and a cancel or timeout can kill the whole
// tree (a shell's children included), not only the direct child.
func (l *Local) Run(ctx context.Context, c Cmd) (Result, error) {
	res := Result{Argv: c.Argv}
	if len(c.Argv) == 0 {
		return res, errors.New("empty argv")
	}
	parent := ctx
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := osexec.Command(c.Argv[0], c.Argv[1:]...)
	base := l.Env
	if base == nil {
		base = os.Environ()
	}
	cmd.Env = append(append(append([]string{}, base...), c.Env...), "LC_ALL=C")
	cmd.Dir = c.Dir
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	var stdout, stderr bytes.Buffer
	// Output past MaxOutput kills the command: `cat /dev/zero` must not
	// fill vrun's memory.
	ctx, overflow := context.WithCancelCause(ctx)
	defer overflow(nil)
	cmd.Stdout = capped(&stdout, c.MaxOutput, overflow)
	cmd.Stderr = capped(&stderr, c.MaxOutput, overflow)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A daemonised grandchild may hold our pipes open after the child
	// exits; past this delay they are closed. It is generous because a
	// busy machine may take a while to drain a finished child's output.
	cmd.WaitDelay = 2 * time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("cannot run %s: %w", QuoteArgv(c.Argv), unwrapExecErr(err))
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		// Negative pid: signal the whole process group.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		err = <-done
	}
	res.Duration = time.Since(start)
	res.Stdout, res.Stderr = stdout.Bytes(), stderr.Bytes()
	var ole *OutputLimitError
	if errors.As(context.Cause(ctx), &ole) {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		ole.Argv = c.Argv
		return res, ole
	}
	if ctx.Err() != nil {
		// Reap stragglers that left the group leader's pipes open.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		// Our own Cmd.Timeout ran out when the caller's context is still live.
		if c.Timeout > 0 && parent.Err() == nil {
			res.TimedOut, res.Code = true, -1
			return res, nil
		}
		return res, ctx.Err()
	}
	var ee *osexec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.Code = ee.ExitCode()
		if res.Code < 0 { // killed by a signal
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				res.Code = 128 + int(ws.Signal())
			}
		}
	default:
		return res, err
	}
	return res, nil
}

func unwrapExecErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var ee *osexec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}
