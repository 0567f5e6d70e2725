package collie

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Failure kinds, from sheepdog's exit codes (include/exits.h) and, because
// most commands exit 1 whatever went wrong, from its error messages.
var (
	ErrExists       = errors.New("already exists")
	ErrFull         = errors.New("the cluster is full")
	ErrMissing      = errors.New("not found")
	ErrNotFormatted = errors.New("the cluster is not formatted (run cluster.format first)")
	ErrNotRunning   = errors.New("the cluster or this host has a problem (is sheep running?)")
	ErrUsage        = errors.New("the client rejected the arguments")
	ErrShrink       = errors.New("sheepdog cannot shrink a VDI")
)

// classify maps a failed result to a kind, or nil when it is none of them.
func classify(r exec.Result) error {
	msg := string(r.Stderr)
	switch {
	case r.Code == 3 || strings.Contains(msg, "exists already") || strings.Contains(msg, "is existed"):
		return ErrExists
	case r.Code == 4 || strings.Contains(msg, "no space") || strings.Contains(msg, "Maximum number of VDIs"):
		return ErrFull
	case r.Code == 5 || strings.Contains(msg, "No VDI found") || strings.Contains(msg, "Failed to find requested tag"):
		return ErrMissing
	case strings.Contains(msg, "Waiting for cluster to be formatted"):
		return ErrNotFormatted
	case r.Code == 2 || strings.Contains(msg, "Failed to connect") || strings.Contains(msg, "Waiting for other nodes"):
		return ErrNotRunning
	case strings.Contains(msg, "Shrinking VDIs is not implemented"):
		return ErrShrink
	case r.Code == 64:
		return ErrUsage
	}
	return nil
}

// cmdError wraps a failed command: "what: kind" then the argv, exit code
// and stderr tail; errors.Is finds the kind.
type cmdError struct {
	what string // `VDI "papeete"`; the registry adds the builtin's name
	kind error
	exit *exec.ExitError
}

func (e *cmdError) Error() string {
	prefix := ""
	if e.what != "" {
		prefix = e.what + ": "
	}
	if e.kind == nil {
		return prefix + e.exit.Error()
	}
	return fmt.Sprintf("%s%v\n%v", prefix, e.kind, e.exit)
}

func (e *cmdError) Is(target error) bool { return e.kind == target }
func (e *cmdError) Unwrap() error        { return e.exit }

// choice is the per-run client selection: forced by collie.use or probed.
type choice struct {
	mu      sync.Mutex
	forced  string
	address string
	port    int
	has     map[string]bool
}

func runState(e *env.Env) (*choice, error) {
	v, err := e.Cache("collie.choice", func() (any, error) { return &choice{has: map[string]bool{}}, nil })
	if err != nil {
		return nil, err
	}
	return v.(*choice), nil
}

// binary picks the client: the forced one, else the module's own name when
// the host has it, else the other one. `--help` exits 0 on every version.
func (c *choice) binary(e *env.Env, prefer string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forced != "" {
		return c.forced, nil
	}
	other := map[string]string{"collie": "dog", "dog": "collie"}[prefer]
	for _, name := range []string{prefer, other} {
		has, probed := c.has[name]
		if !probed {
			res, err := e.Run(exec.Cmd{Argv: []string{name, "--help"}})
			has = err == nil && res.Code != 127
			c.has[name] = has
		}
		if has {
			return name, nil
		}
	}
	return "", fmt.Errorf("neither dog nor collie is installed on the target (sheepdog's client)")
}

// client is dog or collie as a tool: dog 1.0 prints "Failed to ..." and
// still exits 0 from vdi delete.
func client(bin string) tool.Tool {
	return tool.Tool{Name: bin, Failed: func(r exec.Result) bool {
		return r.Code != 0 || r.TimedOut || strings.HasPrefix(string(r.Stderr), "Failed to")
	}}
}

// req says what a command is about (for messages), what it reads on
// stdin and whether it changes the cluster.
type req struct {
	subject string // `VDI "papeete"`; empty for the cluster itself
	stdin   string
	mutate  bool
}

// run runs `<client> args...` and returns stdout; a failure becomes a
// *cmdError naming the subject.
func run(th *starlark.Thread, b *starlark.Builtin, r req, args ...string) (string, error) {
	e, err := env.From(th)
	if err != nil {
		return "", err
	}
	c, err := runState(e)
	if err != nil {
		return "", err
	}
	prefer, _, _ := strings.Cut(b.Name(), ".")
	bin, err := c.binary(e, prefer)
	if err != nil {
		return "", err
	}
	if c.address != "" {
		args = append(args, "-a", c.address)
	}
	if c.port != 0 {
		args = append(args, "-p", strconv.Itoa(c.port))
	}
	res, err := client(bin).Run(e, tool.Cmd{Args: args, Stdin: []byte(r.stdin)}, r.mutate)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", &cmdError{what: r.subject, kind: classify(ee.Result), exit: ee}
		}
		return "", err
	}
	return string(res.Stdout), nil
}
