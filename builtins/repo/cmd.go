package repo

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// SyncSpec is one reposync run.
type SyncSpec struct {
	Repo, Dest, Config, Arch, Releasever, Tool string
	NewestOnly                                 bool
}

// syncTool picks reposync (yum-utils, EL <= 7) or `dnf reposync` by what
// the target has, once per target; spec.Tool forces one.
func syncTool(e *env.Env, forced string) (string, error) {
	if forced != "" {
		if forced != "reposync" && forced != "dnf" {
			return "", fmt.Errorf("tool %q: want \"reposync\" (yum-utils) or \"dnf\"", forced)
		}
		return forced, nil
	}
	v, err := e.Cache("repo.reposync", func() (any, error) {
		// yum-utils' reposync names its options with underscores
		// (--download_path); dnf-utils' reposync is dnf's and does not.
		if r, err := e.Run(exec.Cmd{Argv: []string{"reposync", "--help"}}); err == nil && r.Code == 0 && strings.Contains(string(r.Stdout), "--download_path") {
			return "reposync", nil
		}
		if r, err := e.Run(exec.Cmd{Argv: []string{"dnf", "reposync", "--help"}}); err == nil && r.Code == 0 {
			return "dnf", nil
		}
		return "", errors.New("neither reposync (yum-utils) nor dnf reposync (dnf-plugins-core) is installed on the target")
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// SyncArgv builds the command line for the chosen tool.
func SyncArgv(bin string, s SyncSpec) ([]string, error) {
	if err := component(s.Repo, "a repository id"); err != nil {
		return nil, err
	}
	if err := starutil.Operand(s.Dest, "a destination directory"); err != nil {
		return nil, err
	}
	var argv []string
	if bin == "dnf" {
		argv = []string{"dnf", "reposync", "--repoid", s.Repo, "--download-path", s.Dest}
	} else {
		argv = []string{"reposync", "--repoid", s.Repo, "--download_path", s.Dest}
	}
	if s.Config != "" {
		if err := starutil.Operand(s.Config, "a yum.conf path"); err != nil {
			return nil, err
		}
		argv = append(argv, "--config", s.Config)
	}
	if s.Arch != "" {
		if err := component(s.Arch, "an architecture"); err != nil {
			return nil, err
		}
		argv = append(argv, "--arch", s.Arch)
	}
	if s.NewestOnly {
		argv = append(argv, "--newest-only")
	}
	if s.Releasever != "" {
		if err := component(s.Releasever, "a release version"); err != nil {
			return nil, err
		}
		if bin == "dnf" { // yum reads it from the installed release
			argv = append(argv, "--releasever", s.Releasever)
		}
	}
	return argv, nil
}

// Sync runs reposync; it returns the tool used and the directory written.
func Sync(e *env.Env, s SyncSpec) (string, string, error) {
	bin, err := syncTool(e, s.Tool)
	if err != nil {
		return "", "", err
	}
	argv, err := SyncArgv(bin, s)
	if err != nil {
		return "", "", err
	}
	t := tool.Tool{Name: argv[0], Explain: func(r exec.Result) string { return strings.TrimSpace(exec.Tail(r.Stderr, 3)) }}
	if _, err := t.Change(e, argv[1:]...); err != nil {
		return bin, "", err
	}
	return bin, path.Join(s.Dest, s.Repo), nil
}

// Summary is what a createrepo run changed, from primary.xml before and
// after.
type Summary struct {
	Dir, Tool, Revision string
	Packages            int
	Bytes               int64
	Added, Removed      []string
	AddedBytes          int64
}

// readMeta reads DIR/repodata: (nil, nil) when there is none yet.
func readMeta(e *env.Env, dir string) ([]Package, string, error) {
	md := path.Join(dir, "repodata", "repomd.xml")
	if ok, err := exists(e, "-f", md); err != nil || !ok {
		return nil, "", err
	}
	r, err := tool.Tool{Name: "cat"}.Read(e, "--", md)
	if err != nil {
		return nil, "", err
	}
	m, err := ParseRepomd(r.Stdout)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", md, err)
	}
	p := path.Join(dir, m.Data["primary"].Location)
	r, err = tool.Tool{Name: "cat"}.Read(e, "--", p)
	if err != nil {
		return nil, "", err
	}
	pkgs, err := ParsePrimary(r.Stdout)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", p, err)
	}
	return pkgs, m.Revision, nil
}

func createTool(e *env.Env) (string, error) {
	v, err := e.Cache("repo.createrepo", func() (any, error) {
		for _, bin := range []string{"createrepo_c", "createrepo"} {
			if r, err := e.Run(exec.Cmd{Argv: []string{bin, "--version"}}); err == nil && r.Code == 0 {
				return bin, nil
			}
		}
		return "", errors.New("neither createrepo_c nor createrepo is installed on the target")
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// Createrepo runs createrepo_c (or createrepo) on dir and reads the
// metadata back: a run that exits 0 without a readable repomd.xml fails.
func Createrepo(e *env.Env, dir string, update bool) (Summary, error) {
	if err := starutil.Operand(dir, "a repository directory"); err != nil {
		return Summary{}, err
	}
	if ok, err := exists(e, "-d", dir); err != nil {
		return Summary{}, err
	} else if !ok {
		return Summary{}, fmt.Errorf("%s is not a directory: make the tree first (repo.tree)", dir)
	}
	bin, err := createTool(e)
	if err != nil {
		return Summary{}, err
	}
	before, _, err := readMeta(e, dir)
	if err != nil {
		return Summary{}, fmt.Errorf("the existing metadata cannot be read (%w); remove %s/repodata to rebuild it", err, dir)
	}
	args := []string{}
	if update && before != nil {
		args = append(args, "--update")
	}
	if bin == "createrepo_c" {
		args = append(args, "--no-database") // yum reads the XML; the sqlite copies only cost time
	}
	t := tool.Tool{Name: bin, Explain: func(r exec.Result) string { return strings.TrimSpace(exec.Tail(r.Stderr, 3)) }}
	if _, err := t.Change(e, append(args, "--", dir)...); err != nil {
		return Summary{}, err
	}
	after, rev, err := readMeta(e, dir)
	if err != nil || after == nil {
		return Summary{}, fmt.Errorf("%s exited 0 but %s/repodata cannot be read back: %v", bin, dir, err)
	}
	return summarize(dir, bin, rev, before, after), nil
}

func summarize(dir, bin, rev string, before, after []Package) Summary {
	s := Summary{Dir: dir, Tool: bin, Revision: rev, Packages: len(after), Added: []string{}, Removed: []string{}}
	old := map[string]bool{}
	for _, p := range before {
		old[p.NEVRA()] = true
	}
	now := map[string]bool{}
	for _, p := range after {
		s.Bytes += p.Size
		now[p.NEVRA()] = true
		if !old[p.NEVRA()] {
			s.Added = append(s.Added, p.NEVRA())
			s.AddedBytes += p.Size
		}
	}
	for n := range old {
		if !now[n] {
			s.Removed = append(s.Removed, n)
		}
	}
	sort.Strings(s.Added)
	sort.Strings(s.Removed)
	return s
}

// Verify checks a file's checksum with md5sum, sha1sum or sha256sum.
func Verify(e *env.Env, file, algo, want string) error {
	if err := starutil.Operand(file, "a file path"); err != nil {
		return err
	}
	bin := map[string]string{"md5": "md5sum", "sha1": "sha1sum", "sha256": "sha256sum"}[algo]
	size := map[string]int{"md5": 32, "sha1": 40, "sha256": 64}[algo]
	want = strings.ToLower(strings.TrimSpace(want))
	if len(want) != size || strings.Trim(want, "0123456789abcdef") != "" {
		return fmt.Errorf("%s %q: want %d hex digits", algo, want, size)
	}
	r, err := tool.Tool{Name: bin, Explain: func(r exec.Result) string { return strings.TrimSpace(exec.Tail(r.Stderr, 1)) }}.Read(e, "--", file)
	if err != nil {
		return err
	}
	got, _, _ := strings.Cut(string(r.Stdout), " ")
	if got != want {
		return fmt.Errorf("%s: %s is %s, want %s: the file is damaged or not the one expected; nothing was done with it", file, algo, got, want)
	}
	return nil
}
