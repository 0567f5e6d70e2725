// Package sim is vrun's simulated host: an Executor that answers commands
// from per-tool fakes sharing one world state, so recipes can be rehearsed
// on a bare machine and tests run without root.
//
// Each builtin module registers the fakes of its tools (lvm, collie, ...);
// this package only dispatches on argv[0] and provides the shared pieces:
// a file system for file.*, per-tool state, and result helpers.
package sim

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Tool answers one command. It runs with the host locked, so it may read
// and change any state without further locking.
type Tool func(ctx context.Context, h *Host, c exec.Cmd) exec.Result

// Host is a simulated machine. The zero value is not usable; call New.
type Host struct {
	mu    sync.Mutex
	tools map[string]Tool
	files map[string]*File
	links map[string]string     // symbolic links: path -> target as written
	dirs  map[string]bool       // made by mkdir; parents of files count too
	state map[string]any        // module state by slot key
	slots map[string]func() any // declared slots: how to make each
	errs  []error               // registration mistakes, see Err
	// storage is the block layer: devices, filesystems, mounts.
	storage *Storage
	// net holds the network links (ip link): one model for every module.
	net   *Network
	users *Accounts       // users and services (useradd, systemctl)
	sites map[string]Site // web sites modules serve to curl, by host name
	cwd   string          // the running command's directory (exec.Cmd.Dir); "" is /
	// fleet is the run's fleet this host belongs to (nil: none); shared
	// lists the fleet-wide kinds its modules declared (see Shared).
	fleet  *Fleet
	shared map[string]func() any
	hooks  map[string]ServiceHook // by unit name, see OnService
	before []func(h *Host)        // see BeforeRun
	// Sleep waits d of simulated time; set by the run to its clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Log, when set, receives every command the host answered (tests use it
	// to assert what a recipe ran).
	Log []exec.Cmd
}

// File is a regular file on the simulated host.
type File struct {
	Data []byte
	Mode uint32
}

// New returns a host with the basic shell tools (true, cat, dd, test, ...)
// and an empty file system.
func New() *Host {
	h := &Host{tools: map[string]Tool{}, files: map[string]*File{}, links: map[string]string{}, dirs: map[string]bool{"/": true}, state: map[string]any{}, slots: map[string]func() any{}, storage: &Storage{devices: map[string]*BlockDev{}}, net: NewNetwork(), users: NewAccounts()}
	// The usual skeleton of a Linux host: writes elsewhere fail as on a
	// real one until a recipe makes the directory.
	for _, d := range []string{"/bin", "/boot", "/dev", "/etc", "/home", "/mnt", "/opt", "/root", "/run",
		"/srv", "/tmp", "/usr/bin", "/usr/sbin", "/var/lib", "/var/log", "/var/tmp"} {
		h.MakeDir(d)
	}
	registerBasics(h)
	registerFileTools(h)
	registerMountTools(h)
	registerIP(h)
	registerUserTools(h)
	registerSums(h)
	registerOwners(h)
	registerSysctl(h)
	registerCrontab(h)
	registerCurl(h)
	registerRunuser(h)
	return h
}

// Simulated is implemented by executors that answer from a simulated host:
// the host itself, and wrappers that pass it on through exec.Wrapper.
type Simulated interface {
	SimHost() *Host
}

// SimHost implements Simulated.
func (h *Host) SimHost() *Host { return h }

// Of returns the simulated host behind ex, looking through wrapping
// executors; false on a real target.
func Of(ex exec.Executor) (*Host, bool) {
	s, ok := exec.Find[Simulated](ex)
	if !ok {
		return nil, false
	}
	return s.SimHost(), true
}

// Register installs the fake for a command name (argv[0]'s base name). A
// name registered twice is an error, reported by Err once every module has
// registered (at start-up): two modules would otherwise fight over one
// command (ip, mount) and the last to register would win unseen.
func (h *Host) Register(name string, t Tool) {
	if _, dup := h.tools[name]; dup {
		h.errs = append(h.errs, fmt.Errorf("simulated host: command %q registered twice: one fake per command, shared by the modules that need it", name))
		return
	}
	h.tools[name] = t
}

// BeforeRun adds fn to what runs, with the host locked, before every
// command: a module whose state shows on the host in another form (a
// simulated cloud's volumes as the VM's disks) brings that form up to date.
func (h *Host) BeforeRun(fn func(h *Host)) { h.before = append(h.before, fn) }

// Settle runs the BeforeRun hooks once, with the host locked: after every
// module has installed (one may seed what another's hook derives from),
// so a fresh world is already what the first command would see.
func (h *Host) Settle() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, fn := range h.before {
		fn(h)
	}
}

// Err reports registration mistakes (a command registered twice).
func (h *Host) Err() error { return errors.Join(h.errs...) }

// Has reports whether the host has a command, like `command -v`.
func (h *Host) Has(name string) bool {
	_, ok := h.tools[name]
	return ok
}

// Tools lists the registered command names.
func (h *Host) Tools() []string {
	names := make([]string, 0, len(h.tools))
	for n := range h.tools {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Run implements exec.Executor.
func (h *Host) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	if len(c.Argv) == 0 {
		return exec.Result{}, fmt.Errorf("empty argv")
	}
	if err := ctx.Err(); err != nil {
		return exec.Result{Argv: c.Argv}, err
	}
	if hasNUL(c) {
		// As exec.Local: the kernel takes C strings, so execve fails.
		return exec.Result{Argv: c.Argv}, fmt.Errorf("cannot run %s: %w", exec.QuoteArgv(c.Argv), syscall.EINVAL)
	}
	name := path.Base(c.Argv[0])
	if name == "sleep" { // outside the lock: other threads keep working
		return h.sleep(ctx, c)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.Log = append(h.Log, c)
	if err := h.badDir(c); err != nil {
		return exec.Result{Argv: c.Argv}, err
	}
	t, ok := h.tools[name]
	if !ok {
		return exec.Result{Argv: c.Argv}, fmt.Errorf("cannot run %s: %q is not installed on the simulated host", exec.QuoteArgv(c.Argv), name)
	}
	for _, fn := range h.before {
		fn(h)
	}
	h.cwd = c.Dir
	r := t(ctx, h, c)
	h.cwd = ""
	r.Argv = c.Argv
	if r.Code == notInstalled {
		return exec.Result{Argv: c.Argv}, fmt.Errorf("cannot run %s: %q is not installed on the simulated host", exec.QuoteArgv(c.Argv), name)
	}
	return r, nil
}

// hasNUL reports whether any string of c that becomes a C string on a
// real host (argv, environment, working directory) holds a NUL byte.
func hasNUL(c exec.Cmd) bool {
	for _, s := range append(append([]string{c.Dir}, c.Argv...), c.Env...) {
		if strings.IndexByte(s, 0) >= 0 {
			return true
		}
	}
	return false
}

// WithLock runs fn with the host locked: for seeding a world from Go
// (tests, --sim start-up) and for reading it afterwards.
func (h *Host) WithLock(fn func(h *Host)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn(h)
}

// OK is a successful result with the given stdout.
func OK(stdout string) exec.Result { return exec.Result{Stdout: []byte(stdout)} }

// notInstalled is no process's exit code: see NotInstalled.
const notInstalled = -127

// NotInstalled is what a fake returns when its world lacks the command
// (xensim's CentOS 5 host has xm and no xl): Run then fails as for a
// command no module registered.
func NotInstalled() exec.Result { return exec.Result{Code: notInstalled} }

// Fail is a failed result with the given exit code and stderr.
func Fail(code int, stderr string) exec.Result {
	return exec.Result{Code: code, Stderr: []byte(stderr)}
}
