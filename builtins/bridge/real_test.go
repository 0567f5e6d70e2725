package bridge

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// inNS runs ip in a network namespace: the module's commands reach the
// namespace's links, not the machine's.
type inNS struct {
	exec.Local
	ns string
}

func (x *inNS) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	if len(c.Argv) > 0 && c.Argv[0] == "ip" {
		c.Argv = append([]string{"ip", "-n", x.ns}, c.Argv[1:]...)
	}
	return x.Local.Run(ctx, c)
}

func netns(t *testing.T) *inNS {
	t.Helper()
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "ip")
	x := &inNS{ns: fmt.Sprintf("vrunbr%d", os.Getpid())}
	if r, err := x.Local.Run(context.Background(), exec.Cmd{Argv: []string{"ip", "netns", "add", x.ns}}); err != nil || r.Code != 0 {
		exectest.Unavailable(t, fmt.Sprintf("cannot make a network namespace: %v %s", err, r.Stderr))
	}
	t.Cleanup(func() { x.Local.Run(context.Background(), exec.Cmd{Argv: []string{"ip", "netns", "del", x.ns}}) })
	return x
}

// prepare makes two veth pairs, as the test's own setup.
func prepare(t *testing.T, ex exec.Executor) {
	for _, argv := range [][]string{{"ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"ip", "link", "add", "v2", "type", "veth", "peer", "name", "v3"}} {
		if r, err := ex.Run(context.Background(), exec.Cmd{Argv: argv}); err != nil || r.Code != 0 {
			t.Fatalf("%v: %v %s", argv, err, r.Stderr)
		}
	}
}

const scenario = `
c = []
c.append(bridge.add("br0"))
c.append(bridge.add("br0"))
c.append(bridge.add("br0", stp = True, forward_delay = 4))
c.append(bridge.add("br0", stp = True, forward_delay = 4))
c.append(bridge.add("br0", stp = True, forward_delay = 5))
c.append(bridge.add("br0"))
c.append(bridge.add("br1", stp = True, forward_delay = 15))
shown0 = bridge.show()
c.append(bridge.addif("br0", "v1"))
c.append(bridge.addif("br0", "v1"))
c.append(bridge.addif("br0", "v3"))
shown1 = bridge.show()
c.append(bridge.delif("br0", "v3"))
c.append(bridge.delif("br0", "v3"))
c.append(bridge.delete("br1", confirm = True))
c.append(bridge.delete("br1", confirm = True))
shown2 = bridge.show()
`

var errorCases = []string{
	`bridge.addif("br0", "lo")`,
	`bridge.addif("br0", "nope")`,
	`bridge.addif("nob", "v1")`,
	`bridge.addif("br0", "br0")`,
	`bridge.addif("br9", "v1")`,
	`bridge.delete("br0")`,
	`bridge.add("v0")`,
	`bridge.delif("v0", "v1")`,
}

// TestRealAndSim runs the scenario on the kernel in a namespace and on
// the simulated host and compares what the module returned (but MACs),
// then the errors' first lines.
func TestRealAndSim(t *testing.T) {
	real := netns(t)
	h := sim.New()
	prepare(t, real)
	prepare(t, h)
	names := []string{"c", "shown0", "shown1", "shown2"}
	rg := modtest.MustExec(t, real, scenario, Module())
	fg := modtest.MustExec(t, h, scenario, Module())
	r := exectest.Normalized(t, rg, []string{"mac"}, names...)
	f := exectest.Normalized(t, fg, []string{"mac"}, names...)
	if r != f {
		t.Errorf("real and simulated results differ:\nreal %s\nfake %s", r, f)
	}
	if got := strings.Join(strings.Fields(f), ""); !strings.Contains(got, `"c":[true,false,true,false,true,true,true,true,false,true,true,false,true,false]`) {
		t.Errorf("changed flags: %s", got)
	}
	for _, src := range errorCases {
		_, rerr := modtest.Exec(t, real, src, Module())
		_, ferr := modtest.Exec(t, h, src, Module())
		if rerr == nil || ferr == nil {
			t.Errorf("%s: want errors, got real %v fake %v", src, rerr, ferr)
			continue
		}
		if rl, fl := firstLine(rerr), firstLine(ferr); rl != fl {
			t.Errorf("%s:\nreal %s\nfake %s", src, rl, fl)
		} else {
			t.Logf("%s: %s", src, fl)
		}
	}
}

func firstLine(err error) string {
	msg := err.Error()
	if ee, ok := err.(*starlark.EvalError); ok {
		msg = ee.Msg
	}
	line, _, _ := strings.Cut(msg, "\n")
	return line
}
