package lxc

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

var templateRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func create(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, template string
	var cfg, lxcpath starlark.Value = starlark.NewDict(0), starlark.None
	var targs starutil.Strings
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "template", &template, "config?", &cfg,
		"lxcpath?", &lxcpath, "template_args?", &targs); err != nil {
		return nil, err
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	if !templateRE.MatchString(template) && !(path.IsAbs(template) && starutil.Operand(template, "") == nil) {
		return nil, fmt.Errorf("template: got %q, want a template name (busybox, download, debian...) or an absolute path", template)
	}
	var text string
	switch v := cfg.(type) {
	case *starlark.Dict:
		kvs, err := ConfigFrom(v)
		if err != nil {
			return nil, err
		}
		text = Render(kvs)
	case starlark.String:
		text = string(v)
		if strings.IndexByte(text, 0) >= 0 {
			return nil, fmt.Errorf("config: the text holds a NUL byte")
		}
	default:
		return nil, fmt.Errorf("config: got %s, want a dict (as lxc.config takes) or config text", cfg.Type())
	}
	found, err := c.exists()
	if err != nil {
		return nil, err
	}
	if found {
		return nil, fmt.Errorf("container %q already exists in %s: use it, or destroy it first (lxc.destroy)", name, c.path)
	}
	argv := c.args("-t", template)
	conf := path.Join(c.path, ".vrun-create-"+name+".conf")
	if text != "" {
		if _, err := (tool.Tool{Name: "mkdir"}).Change(c.e, "-p", "--", c.path); err != nil {
			return nil, fmt.Errorf("cannot make the lxcpath %s: %w", c.path, err)
		}
		if _, err := (tool.Tool{Name: "dd"}).Run(c.e, tool.Cmd{Args: []string{"status=none", "of=" + conf}, Stdin: []byte(text)}, true); err != nil {
			return nil, fmt.Errorf("cannot write the config %s: %w", conf, err)
		}
		argv = append(argv, "-f", conf)
	}
	if len(targs) > 0 {
		argv = append(append(argv, "--"), targs...)
	}
	_, cerr := lxcTool("lxc-create").Change(c.e, argv...)
	if text != "" {
		// The config was copied into the container's directory.
		_, _ = (tool.Tool{Name: "rm"}).Change(c.e, "-f", "--", conf)
	}
	if cerr != nil {
		return nil, fmt.Errorf("container %q: %w", name, cerr)
	}
	in, err := c.info()
	if err != nil {
		return nil, fmt.Errorf("lxc-create said it created %q but: %w", name, err)
	}
	return infoValue(in), nil
}

// lifecycle unpacks (name, [kill,] timeout, lxcpath) for start and stop.
func lifecycle(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, kill *bool) (*ct, time.Duration, error) {
	var name string
	var lxcpath starlark.Value = starlark.None
	timeout := starutil.Duration(30 * time.Second)
	pairs := []any{"name", &name}
	if kill != nil {
		pairs = append(pairs, "kill?", kill)
	}
	pairs = append(pairs, "timeout?", &timeout, "lxcpath?", &lxcpath)
	if err := starutil.Unpack(b, args, kwargs, pairs...); err != nil {
		return nil, 0, err
	}
	c, err := target(th, name, lxcpath)
	return c, time.Duration(timeout), err
}

func start(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c, timeout, err := lifecycle(th, b, args, kwargs, nil)
	if err != nil {
		return nil, err
	}
	switch st, err := c.state(); {
	case err != nil:
		return nil, err
	case st == "RUNNING":
		return starlark.False, nil
	case st == "FROZEN":
		return nil, fmt.Errorf("container %q is FROZEN: unfreeze it (lxc.unfreeze)", c.name)
	case st != "STOPPED":
		return nil, fmt.Errorf("container %q is %s: wait for it to settle (lxc.wait)", c.name, st)
	}
	if err := c.logged("lxc-start", "start", "-d"); err != nil {
		return nil, err
	}
	if err := c.wait("RUNNING", timeout); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

// logged runs prog with its log at ERROR level in the container's
// directory: LXC writes why a start or a copy failed there, not on stderr.
func (c *ct) logged(prog, what string, rest ...string) error {
	log := path.Join(c.dir(), "vrun-"+what+".log")
	// Truncated first, so the log holds this run's lines only.
	if _, err := (tool.Tool{Name: "dd"}).Run(c.e, tool.Cmd{Args: []string{"status=none", "of=" + log}}, true); err != nil {
		return fmt.Errorf("container %q: cannot prepare the log %s: %w", c.name, log, err)
	}
	// The log says it all: no Explain of the console lines, which repeat it.
	_, err := tool.Tool{Name: prog}.Change(c.e, c.args(append([]string{"-l", "ERROR", "-o", log}, rest...)...)...)
	if err == nil {
		return nil
	}
	why := ""
	if res, rerr := (tool.Tool{Name: "cat"}).Read(c.e, "--", log); rerr == nil {
		why = Explain(res.Stdout)
	}
	if why == "" {
		return fmt.Errorf("container %q did not %s (log %s is empty): %w", c.name, what, log, err)
	}
	return fmt.Errorf("container %q did not %s: %s (log %s)\n%w", c.name, what, why, log, err)
}

func stop(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	kill := false
	c, timeout, err := lifecycle(th, b, args, kwargs, &kill)
	if err != nil {
		return nil, err
	}
	changed, err := c.stop(kill, timeout)
	return starlark.Bool(changed), err
}

// stop brings the container to STOPPED; a frozen one is thawed first
// (neither a clean shutdown nor SIGKILL gets through a frozen cgroup).
func (c *ct) stop(kill bool, timeout time.Duration) (bool, error) {
	st, err := c.state()
	if err != nil || st == "STOPPED" {
		return false, err
	}
	if st == "FROZEN" {
		if _, err := c.change("lxc-unfreeze"); err != nil {
			return false, fmt.Errorf("container %q is FROZEN and could not be thawed to stop it: %w", c.name, err)
		}
	}
	secs := int((timeout + time.Second - 1) / time.Second)
	argv := []string{"-t", fmt.Sprint(secs)}
	if kill {
		argv = []string{"-k"}
	}
	if _, err := c.change("lxc-stop", argv...); err != nil {
		return false, fmt.Errorf("container %q: %w", c.name, err)
	}
	return true, c.wait("STOPPED", timeout)
}

func wait(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, state string
	var lxcpath starlark.Value = starlark.None
	timeout := starutil.Duration(30 * time.Second)
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "state", &state, "timeout?", &timeout, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	if !IsState(state) {
		return nil, fmt.Errorf("state: got %q, want one of %s", state, strings.Join(States, ", "))
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	if _, err := c.info(); err != nil {
		return nil, err // lxc-wait would wait for a container that is not there
	}
	return starlark.None, c.wait(state, time.Duration(timeout))
}

func freeze(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return thaw(th, b, args, kwargs, "RUNNING", "FROZEN", "lxc-freeze")
}

func unfreeze(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return thaw(th, b, args, kwargs, "FROZEN", "RUNNING", "lxc-unfreeze")
}

// thaw moves a container from one state to another with prog, checked
// afterwards; already there is no change.
func thaw(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, from, to, prog string) (starlark.Value, error) {
	c, err := simple(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	switch st, err := c.state(); {
	case err != nil:
		return nil, err
	case st == to:
		return starlark.False, nil
	case st != from:
		return nil, fmt.Errorf("container %q is %s, want %s for %s", c.name, st, from, prog)
	}
	if _, err := c.change(prog); err != nil {
		return nil, fmt.Errorf("container %q: %w", c.name, err)
	}
	if err := c.expect(to, prog); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func destroy(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var confirm, snaps, kill bool
	var lxcpath starlark.Value = starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "confirm?", &confirm, "snapshots?", &snaps,
		"kill?", &kill, "lxcpath?", &lxcpath); err != nil {
		return nil, err
	}
	c, err := target(th, name, lxcpath)
	if err != nil {
		return nil, err
	}
	in, err := c.info()
	if errors.Is(err, errMissing) {
		return starlark.False, nil
	} else if err != nil {
		return nil, err
	}
	if !c.e.Confirmed(confirm) {
		return nil, fmt.Errorf("destroying container %q deletes its root filesystem: pass confirm = True (or --yes)", name)
	}
	if in.State != "STOPPED" && !kill {
		return nil, fmt.Errorf("container %q is %s: stop it first (lxc.stop) or pass kill = True", name, in.State)
	}
	list, err := c.snapshots()
	if err != nil {
		return nil, err
	}
	if len(list) > 0 && !snaps {
		names := make([]string, len(list))
		for i, s := range list {
			names[i] = s.Name
		}
		return nil, fmt.Errorf("container %q has snapshots (%s): pass snapshots = True to destroy them too", name, strings.Join(names, ", "))
	}
	if _, err := c.stop(true, 30*time.Second); err != nil {
		return nil, err
	}
	argv := []string{}
	if len(list) > 0 {
		argv = append(argv, "-s")
	}
	if _, err := c.change("lxc-destroy", argv...); err != nil {
		return nil, fmt.Errorf("container %q: %w", name, err)
	}
	if found, err := c.exists(); err != nil || found {
		return nil, fmt.Errorf("lxc-destroy said it destroyed %q but it is still there (%v)", name, err)
	}
	return starlark.True, nil
}
