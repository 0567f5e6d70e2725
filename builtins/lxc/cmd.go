package lxc

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// lxcTool is one lxc-* program; a failure starts with what LXC said.
func lxcTool(name string) tool.Tool {
	return tool.Tool{Name: name, Explain: func(r exec.Result) string { return Explain(r.Stderr) }}
}

// stderrLine is LXC's console error: "lxc-create: bb1: ../src/lxc/tools/
// lxc_create.c: main: 264 Container already exists".
var stderrLine = regexp.MustCompile(`^lxc-[a-z-]+: [^:]*: [^:]+: [^:]+: \d+ (.*)$`)

// logLine is a line of the -o log file: "lxc-start bad1 20261130015013.352
// ERROR    network - ../src/lxc/network.c:fn:711 - Failed to attach ...".
var logLine = regexp.MustCompile(`^\S+ \S* ?\d+\.\d+ (?:ERROR|WARN|CRIT|ALERT|FATAL)\s+\S+ - \S+ - (.*)$`)

// noise are LXC messages that say nothing about the cause.
var noise = []string{"To get more details", "Additional information can be obtained", "Failed to receive response",
	"Failed to receive file descriptors", "Failed to serve state clients", "The container failed to start"}

// Explain picks LXC's own messages out of stderr or a log file, in order,
// without repeats or the generic advice lines.
func Explain(out []byte) string {
	var msgs []string
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		msg := line
		if m := stderrLine.FindStringSubmatch(line); m != nil {
			msg = m[1]
		} else if m := logLine.FindStringSubmatch(line); m != nil {
			msg = m[1]
		}
		if msg == "" || seen[msg] || isNoise(msg) {
			continue
		}
		seen[msg] = true
		msgs = append(msgs, msg)
	}
	return strings.Join(msgs, "; ")
}

func isNoise(msg string) bool {
	for _, n := range noise {
		if strings.Contains(msg, n) {
			return true
		}
	}
	return false
}

// ct is one container on a target: the commands act on it with -P and -n.
type ct struct {
	e    *env.Env
	name string
	path string // the lxcpath, resolved
}

// newCt checks the name and resolves the lxcpath (None: lxc-config's).
func newCt(e *env.Env, name, lxcpath string) (*ct, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	p, err := resolvePath(e, lxcpath)
	if err != nil {
		return nil, err
	}
	return &ct{e: e, name: name, path: p}, nil
}

// CheckName refuses names LXC or its tools would misread: the name is a
// directory under the lxcpath and the container's host name.
func CheckName(name string) error {
	if err := starutil.Operand(name, "a container name"); err != nil {
		return err
	}
	switch {
	case strings.Contains(name, "/"):
		return fmt.Errorf("got %q, want a container name without '/' (the name is a directory under the lxcpath)", name)
	case name == "." || name == "..":
		return fmt.Errorf("got %q, want a container name", name)
	case !goodName.MatchString(name):
		return fmt.Errorf("got %q, want a container name of letters, digits, '.', '_' and '-' (at most 64; no spaces: it is also the host name)", name)
	}
	return nil
}

var goodName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// resolvePath returns lxcpath, or the target's default (lxc-config
// lxc.lxcpath, asked once per target).
func resolvePath(e *env.Env, lxcpath string) (string, error) {
	if lxcpath != "" {
		if err := starutil.Operand(lxcpath, "an lxcpath (an absolute directory)"); err != nil {
			return "", fmt.Errorf("lxcpath: %w", err)
		}
		if !path.IsAbs(lxcpath) || strings.ContainsAny(lxcpath, "\n") {
			return "", fmt.Errorf("lxcpath: got %q, want an absolute directory", lxcpath)
		}
		return path.Clean(lxcpath), nil
	}
	v, err := e.Cache("lxc.lxcpath", func() (any, error) {
		res, err := lxcTool("lxc-config").Read(e, "lxc.lxcpath")
		if err != nil {
			return nil, fmt.Errorf("cannot read LXC's default lxcpath: %w", err)
		}
		p := strings.TrimSpace(string(res.Stdout))
		if !path.IsAbs(p) {
			return nil, fmt.Errorf("lxc-config lxc.lxcpath printed %q, want an absolute directory: pass lxcpath", p)
		}
		return p, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// args builds "-P lxcpath -n name" followed by rest.
func (c *ct) args(rest ...string) []string {
	return append([]string{"-P", c.path, "-n", c.name}, rest...)
}

func (c *ct) read(prog string, rest ...string) (exec.Result, error) {
	return lxcTool(prog).Read(c.e, c.args(rest...)...)
}

func (c *ct) change(prog string, rest ...string) (exec.Result, error) {
	return lxcTool(prog).Change(c.e, c.args(rest...)...)
}

// dir is the container's directory.
func (c *ct) dir() string { return path.Join(c.path, c.name) }

// errMissing is a container that is not defined under the lxcpath.
var errMissing = errors.New("no such container")

// info reads the whole record (lxc-info -H); errMissing when the
// container is not there.
func (c *ct) info() (Info, error) {
	res, err := lxcTool("lxc-info").Run(c.e, tool.Cmd{Args: c.args("-H")}, false)
	if err != nil {
		if strings.Contains(string(res.Stderr), "doesn't exist") {
			return Info{}, fmt.Errorf("container %q does not exist in %s: %w", c.name, c.path, errMissing)
		}
		return Info{}, fmt.Errorf("container %q: %w", c.name, err)
	}
	in, err := ParseInfo(res.Stdout)
	if err != nil {
		return in, fmt.Errorf("container %q: %w", c.name, err)
	}
	return in, nil
}

// state is the container's state as lxc-info says it now.
func (c *ct) state() (string, error) {
	in, err := c.info()
	return in.State, err
}

// wait runs lxc-wait for state; on a timeout the error names the state
// the container is in instead.
func (c *ct) wait(state string, timeout time.Duration) error {
	secs := int((timeout + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	_, err := c.read("lxc-wait", "-s", state, "-t", fmt.Sprint(secs))
	if err == nil {
		return nil
	}
	now, serr := c.state()
	if serr != nil {
		return fmt.Errorf("container %q: waiting for %s: %v", c.name, state, serr)
	}
	if now == state {
		return nil
	}
	return fmt.Errorf("container %q is %s, not %s after %ds", c.name, now, state, secs)
}

// expect checks the state after a change, as lxc-info reports it.
func (c *ct) expect(state, after string) error {
	now, err := c.state()
	if err != nil {
		return err
	}
	if now != state {
		return fmt.Errorf("container %q is %s after %s, want %s", c.name, now, after, state)
	}
	return nil
}
