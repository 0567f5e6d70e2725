package xen

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func read(t testing.TB, f string) []byte {
	data, err := os.ReadFile("testdata/" + f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseRecorded(t *testing.T) {
	doms, err := ParseListLong(read(t, "xl-list-l.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Domain{
		{Name: "test-pv", UUID: "4a1c1f2b-6d3e-4c5f-9a8b-1c2d3e4f5a6b", Type: "pv", ID: 1, MemoryKiB: 524288, TargetKiB: 524288, VCPUs: 4,
			Disks: []Disk{{Path: "/img/test-pv.img", Vdev: "xvda", Format: "raw"}}, Bridges: []string{"br0"}},
		{Name: "win", UUID: "00000000-0000-0000-0000-000000000001", Type: "hvm", ID: -1, MemoryKiB: 1043456, TargetKiB: 1043456, VCPUs: 1},
	}
	if !reflect.DeepEqual(doms, want) {
		t.Errorf("got %+v", doms)
	}
	states, err := ParseListStates(read(t, "xl-list.txt"))
	if err != nil || !reflect.DeepEqual(states, map[string]string{"Domain-0": "r-----", "win": "r-----"}) {
		t.Errorf("got %v, %v", states, err)
	}
	info, err := ParseInfo(read(t, "xl-info.txt"))
	if err != nil || info["nr_cpus"] != int64(4) || info["xen_version"] != "4.17.2" || info["xen_commandline"] != "placeholder dom0_mem=2048M,max:2048M" {
		t.Errorf("got %v, %v", info, err)
	}
	for _, bad := range []string{"", "[{}]", "{", `[{"config":{"c_info":{"name":""}}}]`} {
		if _, err := ParseListLong([]byte(bad)); err == nil {
			t.Errorf("ParseListLong(%q): no error", bad)
		}
	}
	if _, err := ParseInfo([]byte("no colon here\n")); err == nil {
		t.Error("ParseInfo accepted a line without a key")
	}
	if _, err := ParseListStates([]byte("garbage")); err == nil {
		t.Error("ParseListStates accepted garbage")
	}
}

func TestConfig(t *testing.T) {
	got, err := Config(map[string]any{"name": "dc5", "memory": int64(256), "vcpus": int64(1), "vif": []string{"bridge=xenbr1000"},
		"disk": []string{"file:/var/lib/xen/images/dc5.img,xvda,w"}, "bootloader": "pygrub"})
	want := "name = 'dc5'\nmemory = 256\nvcpus = 1\nbootloader = 'pygrub'\ndisk = [ 'file:/var/lib/xen/images/dc5.img,xvda,w' ]\nvif = [ 'bridge=xenbr1000' ]\n"
	if err != nil || got != want {
		t.Errorf("got\n%s%v\nwant\n%s", got, err, want)
	}
	for _, c := range []struct {
		keys map[string]any
		want string
	}{
		{map[string]any{"name": "x", "memory": int64(256), "memroy": int64(1)}, "unknown xl.cfg key \"memroy\""},
		{map[string]any{"name": "x"}, "needs memory"},
		{map[string]any{"name": "x", "memory": int64(4)}, "at least 16"},
		{map[string]any{"name": "x y", "memory": int64(256)}, "want letters"},
		{map[string]any{"name": "x", "memory": int64(256), "extra": "a'b"}, "quote"},
		{map[string]any{"name": "x", "memory": "256"}, "want a non-negative int"},
		{map[string]any{"name": "x", "memory": int64(256), "vif": "bridge=br0"}, "list of strings"},
	} {
		if _, err := Config(c.keys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Config(%v): got %v, want %q", c.keys, err, c.want)
		}
	}
}

func TestVirtInstallArgv(t *testing.T) {
	v := VirtInstall{Name: "dc5", RAM: 256, Disk: "/var/lib/xen/images/dc5.img", Size: 4 << 30, Bridge: "xenbr0900", Location: "http://centos.repository/centos/5/os/i386", Graphics: "vnc", VCPUs: 1, Legacy: true}
	argv, err := v.Argv()
	want := "virt-install --paravirt --name dc5 --ram 256 --vcpus 1 --file /var/lib/xen/images/dc5.img --file-size 4 --bridge xenbr0900 --location http://centos.repository/centos/5/os/i386 --vnc"
	if err != nil || strings.Join(argv, " ") != want {
		t.Errorf("got %q, %v", argv, err)
	}
	v.Legacy, v.Graphics = false, "none"
	argv, _ = v.Argv()
	want = "virt-install --paravirt --name dc5 --memory 256 --vcpus 1 --disk path=/var/lib/xen/images/dc5.img,size=4 --network bridge=xenbr0900 --location http://centos.repository/centos/5/os/i386 --graphics none --noautoconsole"
	if strings.Join(argv, " ") != want {
		t.Errorf("got %q", argv)
	}
	for _, bad := range []VirtInstall{
		{Name: "-x", RAM: 256, Disk: "/a", Size: 1 << 30, Bridge: "br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "a.img", Size: 1 << 30, Bridge: "br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "/a,b", Size: 1 << 30, Bridge: "br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "/a", Size: 1 << 29, Bridge: "br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "/a", Size: 1 << 30, Bridge: "-br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "/a", Size: 1 << 30, Bridge: "br", Location: "/mnt", Graphics: "none"},
		{Name: "x", RAM: 8, Disk: "/a", Size: 1 << 30, Bridge: "br", Location: "http://x", Graphics: "none"},
		{Name: "x", RAM: 256, Disk: "/a", Size: 1 << 30, Bridge: "br", Location: "http://x", Graphics: "sdl"},
	} {
		if _, err := bad.Argv(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func FuzzParseListLong(f *testing.F) {
	f.Add(read(f, "xl-list-l.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doms, err := ParseListLong(data)
		for _, d := range doms {
			if err == nil && d.Name == "" {
				t.Fatal("a domain without a name")
			}
		}
	})
}

func FuzzParseInfo(f *testing.F) {
	f.Add(read(f, "xl-info.txt"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := ParseInfo(data); err == nil && m["xen_version"] == nil {
			t.Fatal("accepted info without xen_version")
		}
	})
}
