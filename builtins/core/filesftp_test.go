package core_test

import (
	"bytes"
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec"
	"github.com/vrun-dev/vrun/builtins/exec/sshexec/sshtest"
	"github.com/vrun-dev/vrun/interp"
)

// tracer records the argv of every command that reaches the executor; it
// is a plain wrapper, so file transfers are found through it.
type tracer struct {
	inner exec.Executor
	mu    sync.Mutex
	argv  []string
}

func (r *tracer) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	r.mu.Lock()
	r.argv = append(r.argv, exec.QuoteArgv(c.Argv))
	r.mu.Unlock()
	return r.inner.Run(ctx, c)
}

func (r *tracer) Unwrap() exec.Executor { return r.inner }

func (r *tracer) ran(name string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var got []string
	for _, a := range r.argv {
		if a == name || strings.HasPrefix(a, name+" ") {
			got = append(got, a)
		}
	}
	return got
}

// noFiles hides the SSH host's SFTP: file.* falls back to commands.
type noFiles struct{ exec.Executor }

func (noFiles) Files() exec.Files { return nil }

// runFiles runs fileScenario (plus the mode and a directory read) on ex
// under base and returns its results with base written BASE.
func runFiles(t *testing.T, ex exec.Executor, base string) string {
	t.Helper()
	src := "base = " + `"` + base + `"` + fileScenario + `
out["mode"] = run("stat", "-c", "%a", p).stdout
file.write(base + "/new", "x")
out["new_mode"] = run("stat", "-c", "%a", base + "/new").stdout
out["exists_dir"] = file.exists(base)
out["write_no_dir"] = catch(file.write, base + "/no/dir", "x").error != None
out["empty"] = [file.write(base + "/empty", ""), file.read(base + "/empty")]
`
	g := execOn(t, ex, src)
	return strings.ReplaceAll(g["out"].String(), base, "BASE")
}

// execOn runs src with vrun's builtins, its commands going to ex.
func execOn(t *testing.T, ex exec.Executor, src string) starlark.StringDict {
	t.Helper()
	return execLimited(t, ex, src, env.Limits{})
}

func execLimited(t *testing.T, ex exec.Executor, src string, l env.Limits) starlark.StringDict {
	t.Helper()
	var buf bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &buf, Stderr: &buf, Exec: ex, Limits: l})
	g, err := in.ExecFile(in.Thread("file"), "file.star", []byte(src))
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	return g
}

func sshHost(t *testing.T, s *sshtest.Server, become bool) *sshexec.Executor {
	t.Helper()
	cfg, err := sshexec.LoadConfig(s.Dir, s.SSHConfig)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sshexec.NewPool(sshexec.Options{Config: cfg, AgentSock: "none"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	x, err := p.Host("node1", "", 0, become)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestFileOverSFTPMatchesLocal: the file scenario over SSH gives the same
// values as locally, and went over one SFTP client: no cat, dd or test
// ran on the host.
func TestFileOverSFTPMatchesLocal(t *testing.T) {
	exectest.RequireTools(t, "cat", "dd", "test", "chmod", "stat")
	s := sshtest.Start(t, 1)
	x := sshHost(t, s, false)
	tr := &tracer{inner: x}
	remote := runFiles(t, tr, s.WorkDir(t))
	local := runFiles(t, &exec.Local{}, t.TempDir())
	if remote != local {
		t.Errorf("over SFTP and locally differ:\nsftp:  %s\nlocal: %s", remote, local)
	}
	for _, want := range []string{`"mode": "600\n"`, `"new_mode": "644\n"`, `"read_missing": "file.read: no such file: BASE/fstab"`, `"exists_dir": True`} {
		if !strings.Contains(remote, want) {
			t.Errorf("sftp result lacks %s: %s", want, remote)
		}
	}
	for _, cmd := range []string{"cat", "dd", "test", "chmod"} {
		if got := tr.ran(cmd); len(got) != 0 {
			t.Errorf("file.* ran %v on the host; want SFTP", got)
		}
	}
	if len(tr.ran("stat")) != 2 || x.SFTPClients() != 1 || x.Dials() != 1 {
		t.Errorf("commands %v, %d SFTP clients, %d connections; want the 2 stat runs, 1 client on 1 connection", tr.argv, x.SFTPClients(), x.Dials())
	}
}

// TestFileSFTPErrorsAsCommands: a file the login user may not read fails
// with Permission denied over SFTP as with cat over the same host, and
// exists() is False for a path below a directory it may not enter, as
// test -e says.
func TestFileSFTPErrorsAsCommands(t *testing.T) {
	exectest.RequireTools(t, "cat", "test")
	s := sshtest.Start(t, 1)
	x := sshHost(t, s, false)
	secret := filepath.Join(s.Dir, "secret")
	if err := os.Mkdir(secret, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(secret, "key"), []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := `out = [catch(file.read, "` + secret + `/key").error, file.exists("` + secret + `/key"), catch(file.write, "` + secret + `/key", "x").error]`
	var results []string
	for _, ex := range []exec.Executor{x, noFiles{x}} {
		g := execOn(t, ex, src)
		results = append(results, g["out"].String())
	}
	t.Logf("sftp: %s\ncommands: %s", results[0], results[1])
	for _, r := range results {
		if strings.Count(r, "Permission denied") != 2 || !strings.Contains(r, ", False, ") {
			t.Errorf("want two Permission denied errors and exists False: %s", r)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(secret, "key")); string(b) != "k" {
		t.Errorf("the unwritable file changed: %q", b)
	}
}

// TestFileBecomeUsesSudo: under become, file.write goes through sudo's
// dd (the file is root's), never the login user's SFTP.
func TestFileBecomeUsesSudo(t *testing.T) {
	exectest.RequireTools(t, "sudo", "visudo")
	if _, err := os.Stat("/etc/sudoers.d"); err != nil || os.Getuid() != 0 {
		t.Skip("needs root and /etc/sudoers.d")
	}
	s := sshtest.Start(t, 1)
	rule := "/etc/sudoers.d/vrun-test-sftp-" + sshtest.User
	if err := os.WriteFile(rule, []byte(sshtest.User+" ALL=(ALL) NOPASSWD: ALL\n"), 0o440); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(rule)
	if out, err := osexec.Command("visudo", "-c", "-f", rule).CombinedOutput(); err != nil {
		t.Fatalf("visudo: %v %s", err, out)
	}
	x := sshHost(t, s, true)
	tr := &tracer{inner: x}
	p := filepath.Join(s.WorkDir(t), "root-file")
	g := execOn(t, tr, `file.write("`+p+`", "r\n", mode = 0o640)
out = [file.read("`+p+`"), file.exists("`+p+`"), run("stat", "-c", "%U %a", "`+p+`").stdout]`)
	if got := g["out"].String(); got != `["r\n", True, "root 640\n"]` {
		t.Errorf("become results: %s", got)
	}
	if len(tr.ran("dd")) != 1 || len(tr.ran("cat")) != 1 || len(tr.ran("test")) != 1 || x.SFTPClients() != 0 {
		t.Errorf("commands %v, %d SFTP clients; want dd, cat and test through sudo, no SFTP", tr.argv, x.SFTPClients())
	}
}

// TestFileSFTPHostileInput: a NUL in the path is refused before it reaches
// sftp-server (which would cut the name there), a file larger than the
// output limit is refused, and an empty path is missing as for cat.
func TestFileSFTPHostileInput(t *testing.T) {
	s := sshtest.Start(t, 1)
	x := sshHost(t, s, false)
	d := s.WorkDir(t)
	big := filepath.Join(d, "big")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	g := execLimited(t, x, `out = [catch(file.write, "`+d+`/a\x00b", "x").error, catch(file.read, "`+big+`").error, catch(file.read, "").error]`, env.Limits{Output: 1 << 20})
	got := g["out"].String()
	if _, err := os.Stat(filepath.Join(d, "a")); err == nil {
		t.Errorf("a NUL-cut path was written: %s", got)
	}
	for _, want := range []string{"contains a NUL byte", "more than 1 MiB", `"file.read: no such file: "`} {
		if !strings.Contains(got, want) {
			t.Errorf("results lack %q: %s", want, got)
		}
	}
}
