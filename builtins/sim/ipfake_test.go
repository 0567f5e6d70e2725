package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// ipScenario runs on the real ip in a fresh network namespace and on the
// fake: a bridge, a veth pair, a port, up, mtu, addresses, the errors.
var ipScenario = []string{
	"link set lo up",
	"link add br0 type bridge",
	"link add br0 type bridge",
	"link add v0 type veth peer name v1",
	"link add v2 type veth peer name v1",
	"link set v1 master br0",
	"link set br0 up",
	"link set v0 mtu 9000",
	"addr add 10.9.0.1/24 dev br0",
	"-j link show",
	"-j -d link show",
	"-j addr show",
	"-j link show br0",
	"link set v1 up",
	"-j -d link show",
	"-j addr show",
	"link set v0 up",
	"-j -d link show",
	"-j addr show",
	"addr add 10.9.0.2/24 dev br0",
	"addr add 10.9.0.1/24 dev br0",
	"addr add 10.8.0.1 dev v0",
	"-j addr show br0",
	"-j -d addr show v0",
	"link set v0 mtu 1400",
	"link set v0 master br0",
	"-j link show br0",
	"link set v1 nomaster",
	"-j -d link show",
	"-j link show nope",
	"-j addr show nope",
	"link set nope up",
	"link del nope",
	"link set v0 master nob",
	"link set v0 master v1",
	"link set br0 master br0",
	"link set lo master br0",
	"link set v0 mtu abc",
	"link set v0 mtu 70000",
	"link set v0 mtu 10",
	"link set v0 frob",
	"link add x1 type nosuch",
	"link add x1",
	"addr add 300.1.1.1/24 dev v0",
	"addr add 1.2.3.5/33 dev v0",
	"addr add 1.2.3.6/24 dev nope",
	"addr add 1.2.3.6/24",
	"link del lo",
	"link add -x type bridge",
	"link add name -x type bridge",
	"link add a/b type bridge",
	"link add v0 type veth peer name v0",
	"link set lo mtu 99999999999999999999",
	"link set br0 mtu -1",
	"addr add 1.2.3.4/24 dev lo extra",
	"link set dev",
	"link show dev",
	"-j link show br0 b",
	"link add br1 mtu 9000 type bridge",
	"link set v1 master br1",
	"-j link show br1",
	"link del v1",
	"-j -d link show",
	"link add b5 type bridge stp_state 1 forward_delay 0",
	"link set dev b5 type bridge forward_delay 100",
	"link set dev b5 type bridge stp_state 0 forward_delay 0",
	"link set dev b5 type bridge stp_state 0",
	"link set dev b5 type bridge forward_delay 0",
	"link set dev b5 type bridge stp_state x",
	"link set dev b5 type bridge forward_delay -1",
	"link set dev b5 type bridge forward_delay",
	"link set dev lo type bridge stp_state 1",
	"link add b6 type bridge forward_delay 700",
	"-j -d link show b5",
	"-j -d link show b6",
	"link del b5",
	"link del b6",
	"link del br0",
	"-j addr show",
}

// ignored are values that differ from run to run or machine to machine:
// indexes, random MACs (and what derives from them), queue counts (one per
// CPU), DAD state and running timers.
var ignored = map[string]bool{"ifindex": true, "address": true, "bridge_id": true, "root_id": true,
	"num_tx_queues": true, "num_rx_queues": true, "gc_timer": true, "forward_delay_timer": true, "tentative": true}

// TestIPAsIproute2: every step prints, on the fake, what iproute2 6.1
// prints in a network namespace: exit code and stderr exactly, and JSON
// with the same keys in the same order and the same values (but those in
// ignored, and the IPv6 link-local address derived from the MAC).
func TestIPAsIproute2(t *testing.T) {
	exectest.RequireRoot(t)
	exectest.RequireTools(t, "ip")
	local := &exec.Local{}
	ctx := context.Background()
	ns := fmt.Sprintf("vrunt%d", os.Getpid())
	if r, err := local.Run(ctx, exec.Cmd{Argv: []string{"ip", "netns", "add", ns}}); err != nil || r.Code != 0 {
		exectest.Unavailable(t, fmt.Sprintf("cannot make a network namespace: %v %s", err, r.Stderr))
	}
	t.Cleanup(func() { local.Run(ctx, exec.Cmd{Argv: []string{"ip", "netns", "del", ns}}) })
	h := sim.New()
	for _, step := range ipScenario {
		args := strings.Fields(step)
		real, err := local.Run(ctx, exec.Cmd{Argv: append([]string{"ip", "-n", ns}, args...)})
		if err != nil {
			t.Fatal(err)
		}
		fake := run(t, h, "", append([]string{"ip"}, args...)...)
		if real.Code != fake.Code || string(real.Stderr) != string(fake.Stderr) {
			t.Errorf("ip %s:\nreal rc %d %q\nfake rc %d %q", step, real.Code, real.Stderr, fake.Code, fake.Stderr)
			continue
		}
		if !strings.HasPrefix(step, "-j") || real.Code != 0 {
			if len(real.Stdout)+len(fake.Stdout) > 0 {
				t.Errorf("ip %s: stdout real %q fake %q", step, real.Stdout, fake.Stdout)
			}
			continue
		}
		if !bytes.HasSuffix(fake.Stdout, []byte("]\n")) || !bytes.HasSuffix(real.Stdout, []byte("]\n")) {
			t.Errorf("ip %s: want one JSON array and a newline: real %q fake %q", step, real.Stdout, fake.Stdout)
		}
		fv := withoutEth0(ordered(t, fake.Stdout))
		// The kernel updates carrier and operstate asynchronously (its
		// linkwatch): on a busy machine a show right after `set up` may
		// still see NO-CARRIER, so a differing real answer is read again
		// for up to 2 s before it counts.
		diff := compare(step, ordered(t, real.Stdout), fv)
		for deadline := time.Now().Add(2 * time.Second); diff != "" && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			if real, err = local.Run(ctx, exec.Cmd{Argv: append([]string{"ip", "-n", ns}, args...)}); err != nil {
				t.Fatal(err)
			}
			diff = compare(step, ordered(t, real.Stdout), fv)
		}
		if diff != "" {
			t.Errorf("ip %s: %s\nreal %s\nfake %s", step, diff, real.Stdout, fake.Stdout)
		}
	}
}

// pair is one key of a JSON object, kept in order.
type pair struct {
	k string
	v any
}

// ordered decodes JSON keeping objects' key order ([]pair).
func ordered(t *testing.T, data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var read func() any
	read = func() any {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v in %s", err, data)
		}
		switch tok {
		case json.Delim('{'):
			var out []pair
			for dec.More() {
				k, _ := dec.Token()
				out = append(out, pair{k.(string), read()})
			}
			dec.Token()
			return out
		case json.Delim('['):
			var out []any
			for dec.More() {
				out = append(out, read())
			}
			dec.Token()
			return out
		}
		return tok
	}
	return read()
}

// withoutEth0 drops the NIC the fake host has and a fresh namespace lacks.
func withoutEth0(v any) any {
	var out []any
	for _, l := range v.([]any) {
		if l.([]pair)[1].v != "eth0" { // ifindex, ifname: eth0 has no "link"
			out = append(out, l)
		}
	}
	return out
}

func compare(where string, real, fake any) string {
	switch r := real.(type) {
	case []pair:
		f, ok := fake.([]pair)
		if !ok {
			return fmt.Sprintf("%s: object vs %T", where, fake)
		}
		var rk, fk []string
		for _, p := range r {
			if !ignored[p.k] {
				rk = append(rk, p.k)
			}
		}
		for _, p := range f {
			if !ignored[p.k] {
				fk = append(fk, p.k)
			}
		}
		if strings.Join(rk, ",") != strings.Join(fk, ",") {
			return fmt.Sprintf("%s: keys\nreal %v\nfake %v", where, rk, fk)
		}
		fm := map[string]any{}
		for _, p := range f {
			fm[p.k] = p.v
		}
		linkLocal := false
		for _, p := range r {
			if p.k == "scope" && p.v == "link" {
				linkLocal = true
			}
		}
		for _, p := range r {
			if ignored[p.k] || (linkLocal && p.k == "local") {
				continue
			}
			if d := compare(where+"."+p.k, p.v, fm[p.k]); d != "" {
				return d
			}
		}
	case []any:
		f, ok := fake.([]any)
		if !ok || len(f) != len(r) {
			return fmt.Sprintf("%s: %d items vs %v", where, len(r), fake)
		}
		for i := range r {
			if d := compare(fmt.Sprintf("%s[%d]", where, i), r[i], f[i]); d != "" {
				return d
			}
		}
	default:
		if fmt.Sprint(real) != fmt.Sprint(fake) {
			return fmt.Sprintf("%s: real %v fake %v", where, real, fake)
		}
	}
	return ""
}
