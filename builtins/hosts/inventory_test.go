package hosts

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

func load(t *testing.T, file string) *Inventory {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := ParseInventory(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestInventoryFormats: the INI and YAML forms of one inventory give the
// same groups, members and merged variables (child group over parent,
// host over group).
func TestInventoryFormats(t *testing.T) {
	for _, f := range []string{"testdata/hosts.ini", "testdata/hosts.yml"} {
		inv := load(t, f)
		members := func(g string) []string { m, _ := inv.Members(g); return m }
		if got := members("storage"); !reflect.DeepEqual(got, []string{"node1", "node2", "node3", "node4"}) {
			t.Errorf("%s: storage = %v", f, got)
		}
		if got := members("cluster"); len(got) != 5 || got[4] != "xen01.example.com" {
			t.Errorf("%s: cluster = %v", f, got)
		}
		if got := members("ungrouped"); !reflect.DeepEqual(got, []string{"mail.example.com"}) {
			t.Errorf("%s: ungrouped = %v", f, got)
		}
		n4 := inv.Hosts["node4"]
		if n4.Addr() != "10.0.0.14" || n4.Port() != 2222 || !n4.Become() || n4.Var("ansible_user", "") != "" {
			t.Errorf("%s: node4 = %v", f, n4.Vars)
		}
		n1 := inv.Hosts["node1"]
		if fmt.Sprint(n1.Vars["zone"]) != "1" || n1.Vars["sheep_store"] != "/var/lib/sheepdog" || n1.Vars["corosync_net"] != "192.0.2.0" || n1.Var("ansible_user", "") != "root" {
			t.Errorf("%s: node1 = %v", f, n1.Vars)
		}
		x := inv.Hosts["xen01.example.com"]
		if fmt.Sprint(x.Vars["zone"]) != "2" || x.Vars["note"] != "two words" {
			t.Errorf("%s: xen01 = %v", f, x.Vars)
		}
	}
}

func TestInventoryRefuses(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"[a:children]\nb\n[b:children]\na\n", "cycle"},
		{"[g\nh1\n", "unclosed section"},
		{"[g:foo]\n", "want :vars or :children"},
		{"h1 ansible_port=99999\n", "ansible_port"},
		{"h1 ansible_host=-oProxyCommand=x\n", "looks like an option"},
		{"h1 ansible_user=-x\n", "not a user name"},
		{"-h1\n", "looks like an option"},
		{"h[1:100000]\n", "bad range"},
		{"h[1:200][1:200]\n", "more than 10000"},
		{"h[3:1]\n", "bad range"},
		{"h[1:3\n", "unclosed ["},
		{"h1 novalue\n", "want key=value"},
		{"h1 k='unclosed\n", "unclosed"},
		{"[g:vars]\nnoequals\n", "want key=value"},
		{"[g:children]\nbad name\n", "one group name"},
		{"all:\n  hosts: [a, b]\n", "want a mapping"},
		{"all:\n  bogus: {}\n", "unknown key"},
		{"all:\n  hosts:\n    h1: [1]\n", "want a mapping"},
	} {
		_, err := ParseInventory("x", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.want)
		}
	}
}

func TestExpand(t *testing.T) {
	for in, want := range map[string][]string{
		"node[01:03]":  {"node01", "node02", "node03"},
		"db-[a:c]":     {"db-a", "db-b", "db-c"},
		"w[1:5:2].x":   {"w1.x", "w3.x", "w5.x"},
		"r[1:2]c[1:2]": {"r1c1", "r1c2", "r2c1", "r2c2"},
		"plain":        {"plain"},
	} {
		got, err := expand(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v %v, want %v", in, got, err, want)
		}
	}
}

func TestSelectHosts(t *testing.T) {
	inv := load(t, "testdata/hosts.ini")
	for pattern, want := range map[string]string{
		"storage":               "node1 node2 node3 node4",
		"storage:!node2":        "node1 node3 node4",
		"cluster,&xen":          "xen01.example.com",
		"node*":                 "node1 node2 node3 node4",
		"all:!cluster":          "mail.example.com",
		"other,node1":           "node1 other",
		"ssh://root@10.0.0.5:2": "ssh://root@10.0.0.5:2",
	} {
		got, err := selectHosts(pattern, inv, inv.order)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("%s: got %v %v, want %s", pattern, got, err, want)
		}
	}
	for _, bad := range []string{"", "!", "-x", "[", "!storage"} {
		if _, err := selectHosts(bad, inv, inv.order); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseInventory(f *testing.F) {
	for _, file := range []string{"testdata/hosts.ini", "testdata/hosts.yml"} {
		data, _ := os.ReadFile(file)
		f.Add(data)
	}
	f.Add([]byte("[a:children]\na\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := ParseInventory("fuzz", data)
		if err != nil {
			return
		}
		for _, h := range inv.order {
			if checkHost(inv.Hosts[h]) != nil {
				t.Fatalf("host %q passed parsing with bad variables", h)
			}
		}
	})
}
