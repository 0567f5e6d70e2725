package core_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
)

// hostScenario drives sysctl (read-only on the real host), user.add,
// cron.entry, http and run(cwd, user), each twice where it is idempotent.
const hostScenario = `
out = []
def rec(name, fn, *a, **kw):
    r = catch(fn, *a, **kw)
    v = r.value
    if hasattr(v, "rc"):
        v = (v.rc, v.stdout, v.stderr)
    out.append((name, v, r.error))
rec("sysctl get", sysctl.get, "kernel.ostype")
rec("sysctl get missing", sysctl.get, "no.such.key")
rec("sysctl get dash", sysctl.get, "-a")
rec("sysctl get bad", sysctl.get, "a b")
rec("sysctl set same", sysctl.set, "kernel.ostype", "Linux")
rec("sysctl persist", sysctl.set, "vm.vrun_test", 1, persist = True, apply = False, path = base + "/sysctl.conf")
rec("sysctl persist again", sysctl.set, "vm.vrun_test", "1", persist = True, apply = False, path = base + "/sysctl.conf")
rec("sysctl persist changed", sysctl.set, "vm.vrun_test", "2", persist = True, apply = False, path = base + "/sysctl.conf")
rec("sysctl conf", file.read, base + "/sysctl.conf")
rec("sysctl nothing", sysctl.set, "vm.x", 1, apply = False)
rec("user add", user.add, user_name, comment = "Repository Maintainer", home = base + "/home")
rec("user add again", user.add, user_name)
rec("user add bad", user.add, "Bad Name")
rec("user add colon", user.add, "x", comment = "a:b")
rec("cron entry", cron.entry, user_name, "13 2 * * *", "cd /srv && ./sync > sync.log 2>&1")
rec("cron entry again", cron.entry, user_name, "13  2 * * *", "cd /srv && ./sync > sync.log 2>&1")
rec("cron other schedule", cron.entry, user_name, "14 3 * * *", "cd /srv && ./sync > sync.log 2>&1")
rec("cron second", cron.entry, user_name, "@daily", "true")
rec("cron list", run, "crontab", "-u", user_name, "-l")
rec("cron percent", cron.entry, user_name, "* * * * *", "date +%F")
rec("cron bad schedule", cron.entry, user_name, "61 * *", "true")
rec("cron no user", cron.entry, "nosuchuser9", "* * * * *", "true")
rec("get", http.get, url + "/key")
rec("get 404", http.get, url + "/nope")
rec("get file", http.get, "file:///etc/passwd")
rec("get dash", http.get, "-K/etc/passwd")
rec("download", http.download, url + "/key", base + "/key", sha256 = key_sum)
rec("download again", http.download, url + "/key", base + "/key", sha256 = key_sum)
rec("download unchecked kept", http.download, url + "/key", base + "/key")
rec("download bad sum", http.download, url + "/key", base + "/key2", sha256 = "0" * 64)
rec("download bad sum left", file.exists, base + "/key2.part")
rec("download bad sum dest", file.exists, base + "/key2")
rec("download short sum", http.download, url + "/key", base + "/key2", sha256 = "abc")
rec("download 404", http.download, url + "/nope", base + "/key3")
rec("download 404 left", file.exists, base + "/key3.part")
rec("download into dir", http.download, url + "/key", base)
rec("run cwd", run, "cat", "key", cwd = base)
rec("run cwd missing", run, "cat", "key", cwd = base + "/nope")
rec("run cwd relative", run, "cat", "key", cwd = "tmp")
rec("run user", run, "id", user_name, user = user_name)
rec("run user missing", run, "true", user = "nosuchuser9", check = False)
rec("run user dash", run, "true", user = "-r")
`

var ids = regexp.MustCompile(`[0-9]+\(`)

func runHostScenario(t *testing.T, base, userName, url, sum string, h *sim.Host) []string {
	t.Helper()
	var buf bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &buf, Stderr: &buf, SimHost: h})
	for k, v := range map[string]string{"base": base, "user_name": userName, "url": url, "key_sum": sum} {
		in.Predeclared[k] = starlark.String(v)
	}
	g, err := in.ExecFile(in.Thread("host"), "host.star", []byte(hostScenario))
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	l := g["out"].(*starlark.List)
	var lines []string
	for i := 0; i < l.Len(); i++ {
		// ids differ between machines; names must not.
		lines = append(lines, ids.ReplaceAllString(l.Index(i).String(), "N("))
	}
	return lines
}

// useraddRetry adds a throwaway user, retrying while another test holds
// the passwd lock (useradd exit 10), and removes it (and its crontab)
// when the test ends.
func useraddRetry(t *testing.T, args ...string) {
	t.Helper()
	name := args[len(args)-1]
	t.Cleanup(func() {
		_ = exec.Command("crontab", "-u", name, "-r").Run()
		_ = exec.Command("userdel", name).Run()
	})
	if args[0] == "" {
		return
	}
	for i := 0; ; i++ {
		out, err := exec.Command("useradd", args...).CombinedOutput()
		if err == nil {
			return
		}
		if !bytes.Contains(out, []byte("lock")) || i == 50 {
			t.Fatalf("useradd: %v: %s", err, out)
		}
	}
}

// TestHostHelpersRealMatchSim runs the scenario on this machine (procps
// sysctl read-only, shadow's useradd and cron's crontab for a throwaway
// user, curl against a server on 127.0.0.1, runuser) and on the simulated
// host serving the same page; every result and error must match.
func TestHostHelpersRealMatchSim(t *testing.T) {
	exectest.RequireTools(t, "sysctl", "useradd", "userdel", "getent", "crontab", "curl", "runuser", "sha256sum")
	exectest.RequireRoot(t)
	const name = "vrunhelpers"
	useraddRetry(t, "", name) // cleanup only: user.add makes it
	key := "-----BEGIN PGP PUBLIC KEY BLOCK-----\ntest key\n-----END PGP PUBLIC KEY BLOCK-----\n"
	sumb := sha256.Sum256([]byte(key))
	sum := hex.EncodeToString(sumb[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/key" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(key))
	}))
	defer srv.Close()
	base := t.TempDir()
	real := runHostScenario(t, base, name, srv.URL, sum, nil)

	h := sim.New()
	h.WithLock(func(h *sim.Host) {
		h.MakeDir(base)
		sim.WebOf(h).Pages[srv.URL+"/key"] = key
	})
	simulated := runHostScenario(t, base, name, srv.URL, sum, h)
	for i := range real {
		if i >= len(simulated) || real[i] != simulated[i] {
			t.Errorf("step %d differs:\nreal: %s\nsim:  %s", i, real[i], simulated[i])
		}
	}
	all := strings.Join(real, "\n")
	for _, want := range []string{`("sysctl get", "Linux", None)`, `("user add", True, None)`, `("user add again", False, None)`,
		`("cron entry again", False, None)`, `("download again", False, None)`, `("download bad sum dest", False, None)`,
		`("download bad sum left", False, None)`, `("sysctl persist again", False, None)`} {
		if !strings.Contains(all, want) {
			t.Errorf("real results lack %s", want)
		}
	}
	t.Logf("\n%s", all)
}
