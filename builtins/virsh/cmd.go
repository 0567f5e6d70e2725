package virsh

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// virshTool runs virsh; a failure carries virsh's "error: " lines.
func virshTool() tool.Tool {
	return tool.Tool{Name: "virsh", Explain: func(r exec.Result) string { return explain(string(r.Stderr)) }}
}

// conn is one connection's worth of virsh calls: the thread's target and
// the URI (-c), or none for virsh's own default (LIBVIRT_DEFAULT_URI on
// the target, else its built-in choice).
type conn struct {
	e   *env.Env
	uri string
}

func newConn(th *starlark.Thread, uriV starlark.Value) (conn, error) {
	e, err := env.From(th)
	if err != nil {
		return conn{}, err
	}
	uri, err := uriArg(uriV)
	return conn{e: e, uri: uri}, err
}

func uriArg(v starlark.Value) (string, error) {
	if v == nil || v == starlark.None {
		return "", nil
	}
	s, ok := starlark.AsString(v)
	if !ok {
		return "", fmt.Errorf("uri: got %s, want string or None", v.Type())
	}
	if err := starutil.Operand(s, "a libvirt URI such as qemu:///system (None for virsh's default)"); err != nil {
		return "", fmt.Errorf("uri: %v", err)
	}
	if strings.ContainsAny(s, " \t\n") {
		return "", fmt.Errorf("uri: got %q, want a libvirt URI without spaces", s)
	}
	return s, nil
}

func (c conn) args(args []string) []string {
	if c.uri != "" {
		return append([]string{"-c", c.uri}, args...)
	}
	return args
}

// read runs a virsh command that only looks.
func (c conn) read(args ...string) (string, error) {
	r, err := virshTool().Read(c.e, c.args(args)...)
	return string(r.Stdout), err
}

// change runs a virsh command that changes the hypervisor.
func (c conn) change(stdin []byte, args ...string) (string, error) {
	r, err := virshTool().Run(c.e, tool.Cmd{Args: c.args(args), Stdin: stdin}, true)
	return string(r.Stdout), err
}

// nameArg checks a domain, network, pool or volume name: an operand, and
// no control characters (a newline would split virsh's --name listings).
func nameArg(v, what string) error {
	if err := starutil.Operand(v, what); err != nil {
		return err
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("got %q, want %s without control characters", v, what)
		}
	}
	return nil
}

// ConsoleCommand is what an operator types to reach a domain's console:
// vrun does not proxy consoles.
func ConsoleCommand(uri, name string) string {
	argv := []string{"virsh"}
	if uri != "" {
		argv = append(argv, "-c", uri)
	}
	return exec.QuoteArgv(append(argv, "console", "--", name))
}
