package interp_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runFile(t *testing.T, file string) (string, error) {
	t.Helper()
	in := interp.MustNew(interp.Options{Ctx: context.Background(), SimHost: startest.SimHost(t), Stdout: io.Discard, Stderr: io.Discard})
	v, err := in.RunRecipe(file, nil)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

const recipe = "load(\"@team//storage/lvm.star\", \"carve\")\ndef main():\n    return carve()\n"

// TestNamedLibraryFromProjectFile: vrun.yaml above the recipe's directory
// names the library's directory, relative to the project file.
func TestNamedLibraryFromProjectFile(t *testing.T) {
	d := t.TempDir()
	t.Setenv(interp.PathEnv, "")
	write(t, filepath.Join(d, "vrun.yaml"), "libraries:\n  team: shared/team\n")
	write(t, filepath.Join(d, "shared/team/storage/lvm.star"), "def carve():\n    return \"project\"\n")
	write(t, filepath.Join(d, "recipes/sub/r.star"), recipe)
	got, err := runFile(t, filepath.Join(d, "recipes/sub/r.star"))
	if err != nil || got != `"project"` {
		t.Fatalf("got %s, %v", got, err)
	}
}

// TestNamedLibraryFromPath: the first VRUN_PATH directory holding
// team/x.star wins; a missing library names every place looked at.
func TestNamedLibraryFromPath(t *testing.T) {
	d := t.TempDir()
	write(t, filepath.Join(d, "a/other/x.star"), "")
	write(t, filepath.Join(d, "b/team/storage/lvm.star"), "def carve():\n    return \"b\"\n")
	write(t, filepath.Join(d, "c/team/storage/lvm.star"), "def carve():\n    return \"c\"\n")
	write(t, filepath.Join(d, "r/r.star"), recipe)
	t.Setenv(interp.PathEnv, filepath.Join(d, "a")+":"+filepath.Join(d, "b")+":"+filepath.Join(d, "c"))
	got, err := runFile(t, filepath.Join(d, "r/r.star"))
	if err != nil || got != `"b"` {
		t.Fatalf("got %s, %v", got, err)
	}
	t.Setenv(interp.PathEnv, filepath.Join(d, "a"))
	_, err = runFile(t, filepath.Join(d, "r/r.star"))
	want := []string{`unknown library "team"`, "no vrun.yaml in " + filepath.Join(d, "r"), "no " + filepath.Join(d, "a/team/storage/lvm.star")}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not say %q", err, w)
		}
	}
}

// TestNamedLibraryRefusals: paths escaping the library, option-shaped git
// URLs and unpinned commits are refused before anything is read or run.
func TestNamedLibraryRefusals(t *testing.T) {
	d := t.TempDir()
	t.Setenv(interp.PathEnv, d)
	write(t, filepath.Join(d, "team/ok.star"), "x = 1\n")
	write(t, filepath.Join(d, "secret.star"), "x = 1\n")
	cases := map[string]string{
		`load("@team//../secret.star", "x")`: "must be relative and stay inside it",
		`load("@team///etc/passwd", "x")`:    "must be relative",
		`load("@-x//ok.star", "x")`:          "malformed library reference",
		`load("@team//", "x")`:               "must be relative",
		`load("@gitlib//ok.star", "x")`:      "looks like an option",
		`load("@branch//ok.star", "x")`:      "not a full 40-digit commit id",
		`load("@both//ok.star", "x")`:        "want a directory, or git: URL with commit: ID",
		`load("@nodir//ok.star", "x")`:       "no directory",
		`load("@team//missing.star", "x")`:   "unknown library",
	}
	write(t, filepath.Join(d, "p/vrun.yaml"), "libraries:\n  gitlib: {git: --upload-pack=touch /tmp/pwned, commit: 0123456789012345678901234567890123456789}\n  branch: {git: /x, commit: main}\n  both: {path: a, git: /x, commit: 0123456789012345678901234567890123456789}\n  nodir: nothere\n")
	for src, want := range cases {
		write(t, filepath.Join(d, "p/r.star"), src+"\ndef main():\n    pass\n")
		_, err := runFile(t, filepath.Join(d, "p/r.star"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
	// A malformed project file stops every named load, naming its line.
	write(t, filepath.Join(d, "p/vrun.yaml"), "libraries:\n  team: [a, b]\n")
	write(t, filepath.Join(d, "p/r.star"), "load(\"@team//ok.star\", \"x\")\n")
	_, err := runFile(t, filepath.Join(d, "p/r.star"))
	if err == nil || !strings.Contains(err.Error(), "vrun.yaml: line 2: a library is a directory, or git: URL with commit: ID") {
		t.Errorf("a list as a library: %v", err)
	}
}

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestPinnedGitLibrary: a library pinned by commit is cloned from a local
// repository into the cache on first use, stays at that commit when the
// repository moves on, and is used from the cache once the origin is gone.
func TestPinnedGitLibrary(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	d := t.TempDir()
	t.Setenv(interp.CacheEnv, filepath.Join(d, "cache"))
	t.Setenv(interp.PathEnv, "")
	src := filepath.Join(d, "src")
	write(t, filepath.Join(src, "storage/lvm.star"), "def carve():\n    return \"v1\"\n")
	gitCmd(t, src, "init", "-q")
	gitCmd(t, src, "add", ".")
	gitCmd(t, src, "commit", "-qm", "v1")
	v1 := gitCmd(t, src, "rev-parse", "HEAD")
	write(t, filepath.Join(src, "storage/lvm.star"), "def carve():\n    return \"v2\"\n")
	gitCmd(t, src, "commit", "-qam", "v2")
	bare := filepath.Join(d, "team.git")
	gitCmd(t, d, "clone", "-q", "--bare", src, bare)

	write(t, filepath.Join(d, "p/vrun.yaml"), "libraries:\n  team:\n    git: ../team.git\n    commit: "+v1+"\n")
	write(t, filepath.Join(d, "p/r.star"), recipe)
	got, err := runFile(t, filepath.Join(d, "p/r.star"))
	if err != nil || got != `"v1"` {
		t.Fatalf("got %s, %v", got, err)
	}
	if err := os.RemoveAll(bare); err != nil {
		t.Fatal(err)
	}
	if got, err := runFile(t, filepath.Join(d, "p/r.star")); err != nil || got != `"v1"` {
		t.Fatalf("from the cache: got %s, %v", got, err)
	}
	write(t, filepath.Join(d, "p/vrun.yaml"), "libraries:\n  team:\n    git: ../gone.git\n    commit: "+strings.Repeat("1", 40)+"\n")
	if _, err := runFile(t, filepath.Join(d, "p/r.star")); err == nil || !strings.Contains(err.Error(), "gone.git") {
		t.Fatalf("a missing repository: %v", err)
	}
}
