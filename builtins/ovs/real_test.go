package ovs

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/ovs/ovssim"
	"github.com/vrun-dev/vrun/builtins/ovs/ovstest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// vsctlScenario runs on ovs-vsctl against userspace OVS and on the fake:
// bridges, internal and system ports, tags, and the errors of each.
var vsctlScenario = []string{
	"add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev",
	"add-br ovsbr0",
	"--may-exist add-br ovsbr0",
	"add-port ovsbr0 vlan100 tag=100 -- set interface vlan100 type=internal",
	"add-port ovsbr0 nodev",
	"list-br",
	"list-ports ovsbr0",
	"br-exists ovsbr0",
	"br-exists nope",
	"port-to-br vlan100",
	"port-to-br nope",
	"--may-exist add-port ovsbr0 vlan100 tag=300",
	"add-br br2 -- set bridge br2 datapath_type=netdev",
	"--may-exist add-port br2 vlan100",
	"add-port br2 vlan100",
	"add-port nobr x",
	"add-port br2 ovsbr0",
	"add-br vlan100",
	"del-port nobr x",
	"del-port br2 vlan100",
	"del-br nope",
	"--if-exists del-br nope",
	"del-port ovsbr0 nope",
	"--if-exists del-port ovsbr0 nope",
	"set port vlan100 tag=200",
	"set port nope tag=200",
	"set port vlan100 tag=4096",
	"set port vlan100 tag=-1",
	"set port vlan100 tag=abc",
	"add-port br2 p2 tag=4096 -- set interface p2 type=internal",
	"list-ports br2",
	"add-port br2 p2 tag=7 -- set interface p2 type=internal",
	"STATE",
	"--format=json --columns=name,tag list port vlan100",
	"--format=json --columns=name,type,error list interface p2",
	"clear port vlan100 tag",
	"--format=json --columns=name,tag list port vlan100",
	"--format=json --columns=name,tag list port nope",
	"add-port ovsbr0",
	"del-port vlan100",
	"del-port nodev",
	"STATE",
	"del-br ovsbr0",
	"list-ports ovsbr0",
	"STATE",
	"del-br br2",
	"list-br",
	"STATE",
}

// TestVsctlAsOpenvswitch: every step gives, on the fake, the exit code,
// stderr and stdout of ovs-vsctl 3.1 (JSON tables compared parsed, since
// ovsdb lists rows in hash order and makes random uuids); the links the
// switch makes compare by name and kind.
func TestVsctlAsOpenvswitch(t *testing.T) {
	o := startOVS(t)
	h := simHost(t)
	for _, step := range vsctlScenario {
		args := strings.Fields(step)
		if step == "STATE" {
			args = StateArgs
		}
		real := o.Run(append([]string{"ovs-vsctl", "--timeout=20", "--db=" + o.DB}, args...)...)
		fake, err := h.Run(context.Background(), exec.Cmd{Argv: append([]string{"ovs-vsctl", "--timeout=20"}, args...)})
		if err != nil {
			t.Fatal(err)
		}
		if real.Code != fake.Code || string(real.Stderr) != string(fake.Stderr) {
			t.Errorf("%s:\nreal rc %d %q\nfake rc %d %q", step, real.Code, real.Stderr, fake.Code, fake.Stderr)
			continue
		}
		if err := sameOutput(step, real.Stdout, fake.Stdout); err != nil {
			t.Errorf("%s: %v\nreal %s\nfake %s", step, err, real.Stdout, fake.Stdout)
		}
		if strings.Contains(step, "add-") || strings.Contains(step, "del-") {
			if r, f := ovsLinks(t, o), simLinks(t, h); !reflect.DeepEqual(r, f) {
				t.Errorf("%s: links\nreal %v\nfake %v", step, r, f)
			}
		}
	}
}

// sameOutput compares stdout: JSON tables as sets of rows without uuids,
// the rest as text.
func sameOutput(step string, real, fake []byte) error {
	if step == "STATE" {
		rs, err := ParseSwitch(real)
		if err != nil {
			return fmt.Errorf("real: %v", err)
		}
		fs, err := ParseSwitch(fake)
		if err != nil {
			return fmt.Errorf("fake: %v", err)
		}
		if !reflect.DeepEqual(rs, fs) {
			return fmt.Errorf("parsed switch differs:\nreal %+v\nfake %+v", rs, fs)
		}
		return nil
	}
	if strings.Contains(step, "--format=json") {
		rt, err := ParseTables(real)
		if err != nil {
			return err
		}
		ft, err := ParseTables(fake)
		if err != nil {
			return err
		}
		if rj, fj := rowsText(rt), rowsText(ft); rj != fj {
			return fmt.Errorf("rows differ: real %s fake %s", rj, fj)
		}
		return nil
	}
	if string(real) != string(fake) {
		return fmt.Errorf("stdout differs")
	}
	return nil
}

func rowsText(tables [][]Row) string {
	var out []string
	for _, rows := range tables {
		for _, r := range rows {
			b, _ := json.Marshal(r)
			out = append(out, string(b))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// ovsLinks are the namespace's links but lo, as "name:kind".
func ovsLinks(t *testing.T, o *ovstest.OVS) []string {
	r := o.Run("ip", "-n", o.NS, "-j", "-d", "link", "show")
	if r.Code != 0 {
		t.Fatalf("ip link show: %s", r.Stderr)
	}
	return linkKinds(t, r.Stdout)
}

func simLinks(t *testing.T, h *sim.Host) []string {
	r, _ := h.Run(context.Background(), exec.Cmd{Argv: []string{"ip", "-j", "-d", "link", "show"}})
	var out []string
	for _, l := range linkKinds(t, r.Stdout) {
		if !strings.HasPrefix(l, "eth0:") {
			out = append(out, l)
		}
	}
	return out
}

func linkKinds(t *testing.T, data []byte) []string {
	var links []struct {
		Name string `json:"ifname"`
		Info struct {
			Kind string `json:"info_kind"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(data, &links); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range links {
		if l.Name != "lo" {
			out = append(out, l.Name+":"+l.Info.Kind)
		}
	}
	sort.Strings(out)
	return out
}

// simHost is a simulated host with the ovs fake.
func simHost(t testing.TB) *sim.Host {
	h := sim.New()
	ovssim.Install(h)
	if err := h.Err(); err != nil {
		t.Fatal(err)
	}
	return h
}
