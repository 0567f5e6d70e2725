package sim

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Accounts is the host's users and services: what useradd, id, getent and
// systemctl read and change, shared by every module (LXC and libvirt
// fakes add their daemons' units here).
type Accounts struct {
	Users    []*User             `json:"users"`
	Services map[string]*Service `json:"services"` // by unit name, "sheepdog.service"
	// Owners is "user:group" by resolved path, for what chown gave away
	// from root (see owners.go).
	Owners map[string]string `json:"owners,omitempty"`
	// DirModes is the mode of directories chmod or mkdir -m set, by
	// resolved path; others are 0755.
	DirModes map[string]uint32 `json:"dir_modes,omitempty"`
}

// User is one /etc/passwd entry; its primary group has its name.
type User struct {
	Name  string `json:"name"`
	UID   int    `json:"uid"`
	GID   int    `json:"gid"`
	Gecos string `json:"gecos,omitempty"`
	Home  string `json:"home"`
	Shell string `json:"shell"`
}

// Service is a unit systemctl knows.
type Service struct {
	Active  bool `json:"active"`
	Enabled bool `json:"enabled"`
}

// NewAccounts is a fresh Debian host's: root and nobody, no services.
func NewAccounts() *Accounts {
	return &Accounts{Users: []*User{
		{Name: "root", UID: 0, GID: 0, Gecos: "root", Home: "/root", Shell: "/bin/bash"},
		{Name: "nobody", UID: 65534, GID: 65534, Gecos: "nobody", Home: "/nonexistent", Shell: "/usr/sbin/nologin"},
	}, Services: map[string]*Service{}}
}

// AccountsOf returns the host's users and services; the host must be locked.
func AccountsOf(h *Host) *Accounts { return h.users }

// User finds a user by name.
func (a *Accounts) User(name string) (*User, bool) {
	for _, u := range a.Users {
		if u.Name == name {
			return u, true
		}
	}
	return nil, false
}

// freeID is useradd's choice: the lowest free id from 1000 up, or for a
// system account the highest free one from 999 down (login.defs).
func (a *Accounts) freeID(system bool, taken func(u *User) int) int {
	used := map[int]bool{}
	for _, u := range a.Users {
		used[taken(u)] = true
	}
	if system {
		for id := 999; id > 100; id-- {
			if !used[id] {
				return id
			}
		}
	}
	id := 1000
	for used[id] {
		id++
	}
	return id
}

func registerUserTools(h *Host) {
	h.Register("id", idCmd)
	h.Register("getent", getent)
	h.Register("useradd", useradd)
	h.Register("systemctl", systemctl)
}

func idCmd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	_, ops := Getopt(c.Argv[1:])
	if len(ops) != 1 {
		return Fail(1, "id: the simulated host supports only id NAME\n")
	}
	u, ok := h.users.User(ops[0])
	if !ok {
		return Fail(1, fmt.Sprintf("id: '%s': no such user\n", ops[0])) // LC_ALL=C quotes
	}
	return OK(fmt.Sprintf("uid=%d(%s) gid=%d(%s) groups=%d(%s)\n", u.UID, u.Name, u.GID, u.Name, u.GID, u.Name))
}

// getent passwd [NAME...]: exit 2 when a name is not found, as glibc's.
func getent(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	if len(c.Argv) < 2 || c.Argv[1] != "passwd" {
		return Fail(1, "getent: the simulated host supports only getent passwd [NAME...]\n")
	}
	users := h.users.Users
	if names := c.Argv[2:]; len(names) > 0 {
		users = nil
		for _, n := range names {
			if u, ok := h.users.User(n); ok {
				users = append(users, u)
			}
		}
	}
	var out strings.Builder
	for _, u := range users {
		fmt.Fprintf(&out, "%s:x:%d:%d:%s:%s:%s\n", u.Name, u.UID, u.GID, u.Gecos, u.Home, u.Shell)
	}
	if len(c.Argv) > 2 && len(users) < len(c.Argv)-2 {
		return exec.Result{Code: 2, Stdout: []byte(out.String())}
	}
	return OK(out.String())
}

// goodName is shadow-utils' is_valid_user_name (without --badname).
var goodName = regexp.MustCompile(`^[a-z_][a-z0-9_-]*\$?$`)

func useradd(_ context.Context, h *Host, c exec.Cmd) exec.Result {
	opts, ops := Getopt(c.Argv[1:], "-d", "--home-dir", "-s", "--shell", "-c", "--comment", "-u", "--uid", "-g", "--gid", "-G", "--groups")
	for k := range opts {
		switch k {
		case "-r", "--system", "-d", "--home-dir", "-s", "--shell", "-c", "--comment", "-m", "--create-home", "-M", "--no-create-home", "-U", "--user-group":
		default:
			return Fail(2, fmt.Sprintf("useradd: the simulated host does not support option %s\n", k))
		}
	}
	if len(ops) != 1 {
		return Fail(2, "Usage: useradd [options] LOGIN\n       useradd -D\n       useradd -D [options]\n")
	}
	name := ops[0]
	if !goodName.MatchString(name) || len(name) > 32 {
		return Fail(3, fmt.Sprintf("useradd: invalid user name '%s': use --badname to ignore\n", name))
	}
	a := h.users
	if _, dup := a.User(name); dup {
		return Fail(9, fmt.Sprintf("useradd: user '%s' already exists\n", name))
	}
	_, sys := opts["-r"]
	_, sys2 := opts["--system"]
	u := &User{Name: name, Home: "/home/" + name, Shell: "/bin/sh"}
	u.UID = a.freeID(sys || sys2, func(u *User) int { return u.UID })
	u.GID = a.freeID(sys || sys2, func(u *User) int { return u.GID })
	for _, k := range []string{"-d", "--home-dir"} {
		if v, ok := opts[k]; ok {
			u.Home = v
		}
	}
	for _, k := range []string{"-s", "--shell"} {
		if v, ok := opts[k]; ok {
			u.Shell = v
		}
	}
	for _, k := range []string{"-c", "--comment"} {
		if v, ok := opts[k]; ok {
			u.Gecos = v
		}
	}
	for what, v := range map[string]string{"home directory": u.Home, "shell": u.Shell, "comment": u.Gecos} {
		if strings.ContainsAny(v, ":\n") {
			return Fail(3, fmt.Sprintf("useradd: invalid %s '%s'\n", what, v))
		}
	}
	a.Users = append(a.Users, u)
	if _, ok := opts["-m"]; ok {
		h.MakeDir(u.Home)
	}
	return OK("")
}
