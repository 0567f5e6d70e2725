package collie_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/collie/dogsim"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStar(t *testing.T) {
	startest.Run(t, "testdata/*.star", startest.Options{})
}

// A host with only dog: collie.* falls back to it and probes once per run.
func TestPicksWhatTheHostHas(t *testing.T) {
	h := sim.New()
	h.Register("dog", dogsim.Fake(false))
	var out bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), SimHost: h, Stdout: &out, Stderr: &out})
	src := `
collie.cluster.format(copies = 1)
print(collie.node.list()[0].master, dog.node.list()[0].master)
`
	if _, err := in.ExecFile(in.Thread("t"), "t.star", []byte(src)); err != nil {
		t.Fatal(interp.Render(err))
	}
	if got := strings.TrimSpace(out.String()); got != "False False" {
		t.Errorf("got %q, want dog's table without a master column", got)
	}
	probes := map[string]int{}
	h.WithLock(func(h *sim.Host) {
		for _, c := range h.Log {
			if len(c.Argv) > 1 && c.Argv[1] == "--help" {
				probes[c.Argv[0]]++
			}
		}
	})
	if probes["collie"] != 1 || probes["dog"] != 1 {
		t.Errorf("probes %v, want one each per run", probes)
	}
}

func TestNoClient(t *testing.T) {
	in := interp.MustNew(interp.Options{Ctx: context.Background(), SimHost: sim.New()})
	_, err := in.ExecFile(in.Thread("t"), "t.star", []byte(`dog.node.list()`))
	if err == nil || !strings.Contains(err.Error(), "dog.node.list: neither dog nor collie is installed") {
		t.Errorf("got %v", err)
	}
}

// collie.use(address, port) reaches every command as -a/-p.
func TestUseAddress(t *testing.T) {
	h := sim.New()
	dogsim.Install(h)
	in := interp.MustNew(interp.Options{Ctx: context.Background(), SimHost: h})
	src := `
dog.use(address = "172.16.3.140", port = 7001)
dog.cluster.info()
`
	if _, err := in.ExecFile(in.Thread("t"), "t.star", []byte(src)); err != nil {
		t.Fatal(interp.Render(err))
	}
	var last string
	h.WithLock(func(h *sim.Host) { last = strings.Join(h.Log[len(h.Log)-1].Argv, " ") })
	if last != "dog cluster info -r -a 172.16.3.140 -p 7001" {
		t.Errorf("ran %q", last)
	}
}
