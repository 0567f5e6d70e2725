// Package tool is the one way builtin modules run a command-line tool on
// the thread's target: argv[0] fixed by the tool, reads and changes told
// apart (a dry-run target skips changes), failures turned into errors that
// carry the argv, exit code and stderr, plus the tool's own words when a
// module knows how to pick them out. virsh, xl, lxc-*, ovs-vsctl and ip
// are meant to be added the same way as lvm, qemu-img and dog.
package tool

import (
	"fmt"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
)

// Tool describes one program.
type Tool struct {
	Name string // argv[0]: "lvcreate", "qemu-img"
	// Failed says whether a finished command failed; nil means a non-zero
	// exit or a timeout (dog 1.0 prints "Failed to ..." and exits 0).
	Failed func(r exec.Result) bool
	// Explain picks the tool's own explanation out of a failed result
	// ("Volume group "vg0" not found"); "" keeps the plain exit error.
	Explain func(r exec.Result) string
}

// Cmd is one invocation: the arguments after argv[0] and what the command
// reads. Operands built from user text must have passed starutil.Operand.
type Cmd struct {
	Args    []string
	Stdin   []byte
	Env     []string
	Timeout time.Duration
}

// Read runs a command that only looks (lvs, qemu-img info).
func (t Tool) Read(e *env.Env, args ...string) (exec.Result, error) {
	return t.Run(e, Cmd{Args: args}, false)
}

// Change runs a command that changes the target (lvcreate, mkfs).
func (t Tool) Change(e *env.Env, args ...string) (exec.Result, error) {
	return t.Run(e, Cmd{Args: args}, true)
}

// Run runs c; mutate marks a change. A command that could not run at all
// or failed is an error (an *exec.ExitError inside, for errors.As).
func (t Tool) Run(e *env.Env, c Cmd, mutate bool) (exec.Result, error) {
	argv := append([]string{t.Name}, c.Args...)
	res, err := e.Run(exec.Cmd{Argv: argv, Stdin: c.Stdin, Env: c.Env, Timeout: c.Timeout, Mutate: mutate})
	if err != nil {
		return res, err
	}
	failed := res.Code != 0 || res.TimedOut
	if t.Failed != nil {
		failed = t.Failed(res)
	}
	if !failed {
		return res, nil
	}
	ee := &exec.ExitError{Result: res}
	if t.Explain != nil {
		if why := t.Explain(res); why != "" {
			return res, fmt.Errorf("%s\n%w", why, ee)
		}
	}
	return res, ee
}
