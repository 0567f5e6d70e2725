package lxc_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/lxc"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseInfo(t *testing.T) {
	for _, c := range []struct {
		file string
		want lxc.Info
	}{
		{"info-running-lxc5.txt", lxc.Info{Name: "bb1", State: "RUNNING", PID: 9024, CPU: 10000000, BlkIO: 0, Memory: 1184891, KMem: 745472}},
		{"info-running-H-lxc5.txt", lxc.Info{Name: "bb1", State: "RUNNING", PID: 9024, CPU: 6558192, BlkIO: 0, Memory: 1187840, KMem: 745472}},
		{"info-stopped-lxc5.txt", lxc.Info{Name: "bb1", State: "STOPPED", CPU: -1, BlkIO: -1, Memory: -1, KMem: -1}},
		{"info-frozen-lxc5.txt", lxc.Info{Name: "bb1", State: "FROZEN", PID: 9024, CPU: 10000000, BlkIO: 0, Memory: 655360, KMem: 360448}},
		{"info-veth-lxc5.txt", lxc.Info{Name: "m1", State: "RUNNING", PID: 1039, CPU: 10000000, BlkIO: 0, Memory: 1184891, KMem: 765952,
			Links: []lxc.NetLink{{Name: "vethYH1zXo", TX: 0, RX: 90, Total: 90}}}},
		{"info-lxc3-moler.txt", lxc.Info{Name: "0xe019", State: "RUNNING", PID: 27135, IPs: []string{"10.1.1.1", "10.1.1.2"},
			CPU: -1, BlkIO: -1, Memory: 246593618, KMem: -1, Links: []lxc.NetLink{{Name: "vethgmeH9z", TX: 1546}}}},
	} {
		got, err := lxc.ParseInfo(read(t, c.file))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\ngot  %+v %v\nwant %+v", c.file, got, err, c.want)
		}
	}
}

func TestParseLs(t *testing.T) {
	for _, c := range []struct {
		file string
		want []lxc.Entry
	}{
		{"ls-f-stopped-lxc5.txt", []lxc.Entry{{"NAME": "bb1", "STATE": "STOPPED", "AUTOSTART": "0", "GROUPS": "", "IPV4": "", "IPV6": "", "UNPRIVILEGED": "false"}}},
		{"ls-F-lxc5.txt", []lxc.Entry{
			{"NAME": "bb1", "STATE": "RUNNING", "AUTOSTART": "0", "GROUPS": "", "IPV4": "10.231.0.2", "IPV6": "", "PID": "9024", "RAM": "0.88MB", "INTERFACE": "eth0, lo", "UNPRIVILEGED": "false"},
			{"NAME": "bb2", "STATE": "STOPPED", "AUTOSTART": "0", "GROUPS": "", "IPV4": "", "IPV6": "", "PID": "", "RAM": "", "INTERFACE": "", "UNPRIVILEGED": "false"}}},
		{"ls-f-lxc3.txt", []lxc.Entry{
			{"NAME": "lxc0", "STATE": "RUNNING", "AUTOSTART": "0", "GROUPS": "", "IPV4": "10.0.3.250", "IPV6": "", "UNPRIVILEGED": "false"},
			{"NAME": "lxc1", "STATE": "STOPPED", "AUTOSTART": "0", "GROUPS": "", "IPV4": "", "IPV6": "", "UNPRIVILEGED": "false"}}},
		{"ls-f-lxc2.txt", []lxc.Entry{
			{"NAME": "0xe000", "STATE": "RUNNING", "AUTOSTART": "0", "GROUPS": "", "IPV4": "10.1.1.1, 10.1.1.2, 10.83.182.49, 192.168.2.60", "IPV6": ""},
			{"NAME": "0xe001", "STATE": "RUNNING", "AUTOSTART": "0", "GROUPS": "", "IPV4": "10.1.1.1, 10.1.1.2, 10.83.182.49, 192.168.2.60", "IPV6": ""}}},
	} {
		got, err := lxc.ParseLs(read(t, c.file))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\ngot  %v %v\nwant %v", c.file, got, err, c.want)
		}
	}
	if got := (lxc.Entry{"IPV4": "10.1.1.1, 10.1.1.2"}).List("IPV4"); !reflect.DeepEqual(got, []string{"10.1.1.1", "10.1.1.2"}) {
		t.Errorf("List: %v", got)
	}
	if rows, err := lxc.ParseLs(nil); err != nil || rows != nil {
		t.Errorf("no containers: %v %v", rows, err)
	}
}

func TestParseSnapshots(t *testing.T) {
	got, err := lxc.ParseSnapshots(read(t, "snapshots-lxc5.txt"))
	want := []lxc.Snapshot{{"snap0", "/tmp/lxcrec/path/bb1/snaps", "2026:11:30 01:50:08"}, {"snap1", "/tmp/lxcrec/path/bb1/snaps", "2026:11:30 01:52:10"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v %v", got, err)
	}
	if got, err := lxc.ParseSnapshots(read(t, "snapshots-none-lxc5.txt")); err != nil || got != nil {
		t.Errorf("none: %v %v", got, err)
	}
}

// Malformed outputs are errors that say what was found, never a guess.
func TestParseBad(t *testing.T) {
	for _, in := range []string{"Name: x\n", "State: RUNNING\n", "Name: x\nState: DANCING\n", "Name: x\nState: RUNNING\nPID: -3\n",
		"Name: x\nState: RUNNING\nMemory use: 3 parsecs\n", "garbage\n", " TX bytes: 1\nName: x\nState: STOPPED\n"} {
		if _, err := lxc.ParseInfo([]byte(in)); err == nil || !strings.HasPrefix(err.Error(), "lxc-info: ") {
			t.Errorf("ParseInfo(%q): %v", in, err)
		}
	}
	for _, in := range []string{"STATE NAME\nRUNNING x\n", "NAME STATE\nx   DANCING\n", "NAME BOGUS\nx y\n", "NAME STATE AUTOSTART\nxxxxxxxxxx\n"} {
		if _, err := lxc.ParseLs([]byte(in)); err == nil || !strings.HasPrefix(err.Error(), "lxc-ls: ") {
			t.Errorf("ParseLs(%q): %v", in, err)
		}
	}
	if _, err := lxc.ParseSnapshots([]byte("snap0 yesterday\n")); err == nil {
		t.Error("ParseSnapshots accepted a malformed line")
	}
}

func TestExplain(t *testing.T) {
	stderr := "lxc-create: bb9: ../src/lxc/utils.c: get_template_path: 900 No such file or directory - bad template: nosuch\n" +
		"lxc-create: bb9: ../src/lxc/lxccontainer.c: __lxcapi_create: 1799 Template \"nosuch\" not found\n"
	if got, want := lxc.Explain([]byte(stderr)), "No such file or directory - bad template: nosuch; Template \"nosuch\" not found"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	log := "lxc-start bad1 20261130015013.348 ERROR    af_unix - ../src/lxc/af_unix.c:lxc_abstract_unix_recv_fds_iov:218 - Connection reset by peer - Failed to receive response\n" +
		"lxc-start bad1 20261130015013.352 ERROR    network - ../src/lxc/network.c:netdev_configure_server_veth:711 - No such file or directory - Failed to attach \"vethCk76nW\" to bridge \"nosuchbr\", bridge interface doesn't exist\n" +
		"lxc-start bad1 20261130015013.388 ERROR    lxc_start - ../src/lxc/tools/lxc_start.c:main:309 - To get more details, run the container in foreground mode\n"
	if got, want := lxc.Explain([]byte(log)), "No such file or directory - Failed to attach \"vethCk76nW\" to bridge \"nosuchbr\", bridge interface doesn't exist"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzParseInfo(f *testing.F) {
	for _, n := range []string{"info-running-lxc5.txt", "info-running-H-lxc5.txt", "info-veth-lxc5.txt", "info-lxc3-moler.txt"} {
		f.Add(read(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := lxc.ParseInfo(b)
		if err == nil && (in.Name == "" || !lxc.IsState(in.State) || in.PID < 0) {
			t.Errorf("accepted %+v", in)
		}
	})
}

func FuzzParseLs(f *testing.F) {
	for _, n := range []string{"ls-f-stopped-lxc5.txt", "ls-F-lxc5.txt", "ls-f-lxc3.txt", "ls-f-lxc2.txt"} {
		f.Add(read(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := lxc.ParseLs(b)
		for _, r := range rows {
			if err == nil && r["NAME"] == "" {
				t.Errorf("a row without a name: %v", r)
			}
		}
	})
}

func FuzzParseSnapshots(f *testing.F) {
	f.Add(read(f, "snapshots-lxc5.txt"))
	f.Fuzz(func(t *testing.T, b []byte) {
		snaps, err := lxc.ParseSnapshots(b)
		for _, s := range snaps {
			if err == nil && (s.Name == "" || strings.ContainsAny(s.Name, " \n")) {
				t.Errorf("accepted %+v", s)
			}
		}
	})
}

func FuzzExplain(f *testing.F) {
	f.Add([]byte("lxc-destroy: bb1: ../src/lxc/tools/lxc_destroy.c: do_destroy: 91 bb1 is running\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := lxc.Explain(b); strings.Contains(got, "\n") {
			t.Errorf("Explain(%q) = %q: a message on several lines", b, got)
		}
	})
}
