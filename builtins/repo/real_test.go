package repo_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	vexec "github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/repo"
	"github.com/vrun-dev/vrun/builtins/repo/reposim"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp/startest"
)

const helloSpec = `Name: vrun-hello
Version: 1.0
Release: 1
Summary: vrun test package
License: MIT
BuildArch: noarch
%description
A package for vrun's mirror test.
%install
mkdir -p %{buildroot}/usr/share/vrun-hello
echo hi > %{buildroot}/usr/share/vrun-hello/hi
%files
/usr/share/vrun-hello/hi
`

// mirrorScenario is the seed's mirror flow for one repository: the tree,
// reposync into it, createrepo on RPMS, again through the i386 link (an
// update that adds nothing), and the tree again (nothing to make).
const mirrorScenario = `
t = repo.tree(ROOT, repos = ["extras"])
s = repo.reposync("extras", t.top, config = CONF, releasever = "5", tool = "dnf")
c1 = repo.createrepo(t.top + "/extras/RPMS")
c2 = repo.createrepo(t.paths["extras"])
t2 = repo.tree(ROOT, repos = ["extras"])
`

// TestMirrorAsRealTools runs the mirror flow on real dnf reposync and
// createrepo_c against a repository this test serves on 127.0.0.1, and
// the same flow on the fakes, and compares what the module returns.
func TestMirrorAsRealTools(t *testing.T) {
	exectest.RequireTools(t, "rpmbuild", "createrepo_c", "dnf")
	tmp := t.TempDir()
	top := filepath.Join(tmp, "rpmbuild")
	must(t, os.MkdirAll(filepath.Join(top, "SPECS"), 0o755))
	must(t, os.WriteFile(filepath.Join(top, "SPECS", "hello.spec"), []byte(helloSpec), 0o644))
	cmd(t, "rpmbuild", "--define", "_topdir "+top, "--define", "_dbpath "+filepath.Join(top, "db"), "-bb", filepath.Join(top, "SPECS", "hello.spec"))
	up := filepath.Join(tmp, "upstream", "extras")
	must(t, os.MkdirAll(filepath.Join(up, "RPMS"), 0o755))
	rpmFile := "vrun-hello-1.0-1.noarch.rpm"
	data, err := os.ReadFile(filepath.Join(top, "RPMS", "noarch", rpmFile))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(up, "RPMS", rpmFile), data, 0o644))
	cmd(t, "createrepo_c", "--no-database", up)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(tmp, "upstream"))))
	defer srv.Close()

	root, conf := filepath.Join(tmp, "www", "centos"), filepath.Join(tmp, "etc", "yum.conf")
	files := map[string]string{
		conf: "[main]\nreposdir=" + filepath.Join(tmp, "etc", "repos.d") + "\ncachedir=" + filepath.Join(tmp, "cache") + "\n",
		filepath.Join(tmp, "etc", "repos.d", "mirror.repo"): "[extras]\nname=extras\nbaseurl=" + srv.URL + "/extras/\ngpgcheck=0\n",
	}
	for p, c := range files {
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(c), 0o644))
	}
	must(t, os.MkdirAll(root, 0o755))
	src := "ROOT = " + quote(root) + "\nCONF = " + quote(conf) + "\n" + mirrorScenario
	names := []string{"t", "s", "c1", "c2", "t2"}
	drop := []string{"revision"}
	real := exectest.Normalized(t, modtest.MustExec(t, &vexec.Local{}, src, repo.Module()), drop, names...)

	h := startest.SimHost(t)
	h.WithLock(func(h *sim.Host) {
		for p, c := range files {
			h.MakeDir(filepath.Dir(p))
			h.WriteFile(p, []byte(c), 0o644)
		}
		h.MakeDir(root)
		reposim.AddUpstream(h, srv.URL+"/extras", reposim.Pkg{Name: "vrun-hello", Version: "1.0", Release: "1", Arch: "noarch", Size: len(data)})
	})
	fake := exectest.Normalized(t, modtest.MustExec(t, h, src, repo.Module()), drop, names...)
	t.Logf("real %s", real)
	if real != fake {
		t.Errorf("real tools and fakes differ:\nreal %s\nfake %s", real, fake)
	}
	for _, want := range []string{`"added": [` + "\n" + `   "vrun-hello-1.0-1.noarch"`, `"packages": 1`} {
		if !strings.Contains(real, want) {
			t.Errorf("real run lacks %s:\n%s", want, real)
		}
	}
}

func cmd(t *testing.T, argv ...string) {
	t.Helper()
	c := exec.Command(argv[0], argv[1:]...)
	c.Env = append(os.Environ(), "LC_ALL=C")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
