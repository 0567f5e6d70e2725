package sshexec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	os.WriteFile(cfg, []byte(`Host db*
  HostName %h.example.net
  User dba
  Port 2200
  IdentityFile ~/.ssh/db_%r
  IdentityFile %d/second
  ProxyJump bastion
  StrictHostKeyChecking accept-new
  UserKnownHostsFile ~/kh1 ~/kh2
  ConnectTimeout 3
  ServerAliveInterval 0
Host *
  User everyone
`), 0o644)
	c, err := LoadConfig(dir, cfg, filepath.Join(dir, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Resolve("db1", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{Alias: "db1", HostName: "db1.example.net", Port: 2200, User: "dba",
		IdentityFiles: []string{dir + "/.ssh/db_dba", dir + "/second"}, ProxyJump: "bastion",
		StrictHostKeyChecking: "accept-new", KnownHostsFiles: []string{dir + "/kh1", dir + "/kh2", "/etc/ssh/ssh_known_hosts"},
		ConnectTimeout: 3 * time.Second, AliveCountMax: 3}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
	if s, _ := c.Resolve("db1", "root", 22); s.User != "root" || s.Port != 22 {
		t.Fatalf("overrides: %+v", s)
	}
	s, _ = c.Resolve("web", "", 0)
	if s.User != "everyone" || s.HostName != "web" || s.StrictHostKeyChecking != "yes" || s.AliveInterval != 15*time.Second {
		t.Fatalf("defaults: %+v", s)
	}
	for _, bad := range []string{"Port 0", "Port x", "ConnectTimeout -1", "ServerAliveCountMax 0"} {
		os.WriteFile(cfg, []byte("Host *\n  "+bad+"\n"), 0o644)
		c, _ := LoadConfig(dir, cfg)
		if _, err := c.Resolve("h", "", 0); err == nil || !strings.Contains(err.Error(), "ssh config") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
