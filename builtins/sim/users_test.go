package sim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// id and getent answer for root and a missing user as the real ones do
// here (LC_ALL=C, as vrun runs tools).
func TestUsersAsReal(t *testing.T) {
	exectest.RequireTools(t, "id", "getent")
	local := &exec.Local{}
	h := sim.New()
	for _, argv := range [][]string{{"id", "root"}, {"id", "vrun-no-such-user"}, {"getent", "passwd", "root"}, {"getent", "passwd", "vrun-no-such-user"}} {
		real, err := local.Run(context.Background(), exec.Cmd{Argv: argv})
		if err != nil {
			t.Fatal(err)
		}
		fake := run(t, h, "", argv...)
		if real.Code != fake.Code || string(real.Stdout) != string(fake.Stdout) || string(real.Stderr) != string(fake.Stderr) {
			t.Errorf("%v:\nreal %d %q %q\nfake %d %q %q", argv, real.Code, real.Stdout, real.Stderr, fake.Code, fake.Stdout, fake.Stderr)
		}
	}
}

// useradd as shadow-utils 4.13 on Debian (checked by hand: ids, default
// home and shell, messages and codes) and systemctl as systemd 252.
func TestUsersAndServices(t *testing.T) {
	h := sim.New()
	for _, tc := range []struct {
		argv     string
		rc       int
		out, err string
	}{
		{"useradd -r sheep", 0, "", ""},
		{"getent passwd sheep", 0, "sheep:x:999:999::/home/sheep:/bin/sh\n", ""},
		{"useradd -d /opt/x -s /bin/false alice", 0, "", ""},
		{"id alice", 0, "uid=1000(alice) gid=1000(alice) groups=1000(alice)\n", ""},
		{"getent passwd alice", 0, "alice:x:1000:1000::/opt/x:/bin/false\n", ""},
		{"useradd alice", 9, "", "useradd: user 'alice' already exists\n"},
		{"useradd -x bob", 2, "", "useradd: the simulated host does not support option -x\n"},
		{"useradd --badname-nope bob", 2, "", "useradd: the simulated host does not support option --badname-nope\n"},
		{"useradd Bad", 3, "", "useradd: invalid user name 'Bad': use --badname to ignore\n"},
		{"useradd -- -rf", 3, "", "useradd: invalid user name '-rf': use --badname to ignore\n"},
		{"useradd -d /a:b carol", 3, "", "useradd: invalid home directory '/a:b'\n"},
		{"systemctl is-active sheepdog", 3, "inactive\n", ""},
		{"systemctl start sheepdog", 5, "", "Failed to start sheepdog.service: Unit sheepdog.service not found.\n"},
		{"systemctl is-enabled sheepdog", 1, "", "Failed to get unit file state for sheepdog.service: No such file or directory\n"},
		{"systemctl enable nosuch", 1, "", "Failed to enable unit: Unit file nosuch.service does not exist.\n"},
		{"systemctl stop nosuch", 5, "", "Failed to stop nosuch.service: Unit nosuch.service not loaded.\n"},
	} {
		r := run(t, h, "", strings.Fields(tc.argv)...)
		if r.Code != tc.rc || string(r.Stdout) != tc.out || string(r.Stderr) != tc.err {
			t.Errorf("%s: rc %d out %q err %q; want %d %q %q", tc.argv, r.Code, r.Stdout, r.Stderr, tc.rc, tc.out, tc.err)
		}
	}
	// A unit file makes the unit known, as after a package installs it.
	h.WithLock(func(h *sim.Host) {
		h.MakeDir("/lib/systemd/system")
		h.WriteFile("/lib/systemd/system/sheepdog.service", []byte("[Service]\n"), 0)
	})
	for _, tc := range []struct {
		argv     string
		rc       int
		out, err string
	}{
		{"systemctl is-enabled sheepdog", 1, "disabled\n", ""},
		{"systemctl enable sheepdog", 0, "", "Created symlink /etc/systemd/system/multi-user.target.wants/sheepdog.service → /lib/systemd/system/sheepdog.service.\n"},
		{"systemctl enable sheepdog", 0, "", ""},
		{"systemctl is-enabled sheepdog.service", 0, "enabled\n", ""},
		{"systemctl start sheepdog", 0, "", ""},
		{"systemctl is-active sheepdog nosuch", 0, "active\ninactive\n", ""},
		{"systemctl restart sheepdog", 0, "", ""},
		{"systemctl stop sheepdog", 0, "", ""},
		{"systemctl is-active sheepdog", 3, "inactive\n", ""},
		{"systemctl disable sheepdog", 0, "", "Removed \"/etc/systemd/system/multi-user.target.wants/sheepdog.service\".\n"},
		{"systemctl start ../x", 1, "", "Failed to start unit: Unit name ../x is not valid.\n"},
	} {
		r := run(t, h, "", strings.Fields(tc.argv)...)
		if r.Code != tc.rc || string(r.Stdout) != tc.out || string(r.Stderr) != tc.err {
			t.Errorf("%s: rc %d out %q err %q; want %d %q %q", tc.argv, r.Code, r.Stdout, r.Stderr, tc.rc, tc.out, tc.err)
		}
	}
	// Users and services survive the world file.
	run(t, h, "", "systemctl", "start", "sheepdog")
	var saved []byte
	h.WithLock(func(h *sim.Host) {
		var err error
		if saved, err = h.SaveWorld(); err != nil {
			t.Fatal(err)
		}
	})
	h2 := sim.New()
	h2.WithLock(func(h *sim.Host) {
		if err := h.LoadWorld(saved); err != nil {
			t.Fatal(err)
		}
	})
	if r := run(t, h2, "", "systemctl", "is-active", "sheepdog"); r.Code != 0 {
		t.Errorf("service state lost: %+v", r)
	}
	if r := run(t, h2, "", "id", "alice"); r.Code != 0 {
		t.Errorf("user lost: %+v", r)
	}
	h2.WithLock(func(h *sim.Host) {
		if err := h.LoadWorld([]byte(`{"version": 2, "accounts": {"users": [{"name": "a:b"}]}}`)); err == nil {
			t.Error("loaded a user named a:b")
		}
		if err := h.LoadWorld([]byte(`{"version": 2, "accounts": {"users": [], "services": {"x": null}}}`)); err == nil {
			t.Error("loaded a service without a state")
		}
	})
}
