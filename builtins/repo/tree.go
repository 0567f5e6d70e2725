package repo

import (
	"fmt"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// TreeSpec is a mirror's layout: ROOT/RELEASE/REPO/ARCH for each repo. The
// base repository (from the DVD) gets a real ARCH directory; the others
// REPO/RPMS with REPO/ARCH -> RPMS, since reposync writes REPO/RPMS/ and
// builds no arch level (the seed's CreateRepoDirs.sh).
type TreeSpec struct {
	Root, Release, Arch, Base string
	Repos, Aliases            []string // Aliases: release links such as 5.0 -> 5
}

// TreeResult says where each repository's packages go and what was made.
type TreeResult struct {
	Top     string
	Paths   map[string]string // repo -> its ARCH path
	Created []string
}

func (s TreeSpec) check() error {
	if !path.IsAbs(s.Root) {
		return fmt.Errorf("root %q: want an absolute path", s.Root)
	}
	if err := starutil.Operand(s.Root, "a directory"); err != nil {
		return err
	}
	for what, v := range map[string]string{"release": s.Release, "arch": s.Arch} {
		if err := component(v, what); err != nil {
			return err
		}
	}
	if len(s.Repos) == 0 {
		return fmt.Errorf("repos is empty: name the repositories to mirror")
	}
	seen := map[string]bool{}
	for _, r := range append(append([]string{}, s.Repos...), s.Aliases...) {
		if err := component(r, "a repository or alias name"); err != nil {
			return err
		}
		if seen[r] || r == s.Release {
			return fmt.Errorf("%q is named twice", r)
		}
		seen[r] = true
	}
	return nil
}

// component checks one path component: no "/", not . or .., no option.
func component(v, what string) error {
	if err := starutil.Operand(v, what); err != nil {
		return err
	}
	if v == "." || v == ".." || strings.ContainsAny(v, "/\n") {
		return fmt.Errorf("got %q, want %s: one path component", v, what)
	}
	return nil
}

// Tree makes the layout; it is idempotent, and refuses to replace what is
// in the way (a directory where a link should be, a link elsewhere).
func Tree(e *env.Env, s TreeSpec) (TreeResult, error) {
	if err := s.check(); err != nil {
		return TreeResult{}, err
	}
	top := path.Join(s.Root, s.Release)
	res := TreeResult{Top: top, Paths: map[string]string{}}
	dirs := []string{top}
	links := [][2]string{} // link path, target
	for _, r := range s.Repos {
		if r == s.Base {
			dirs = append(dirs, path.Join(top, r, s.Arch))
		} else {
			dirs = append(dirs, path.Join(top, r, "RPMS"))
			links = append(links, [2]string{path.Join(top, r, s.Arch), "RPMS"})
		}
		res.Paths[r] = path.Join(top, r, s.Arch)
	}
	for _, a := range s.Aliases {
		links = append(links, [2]string{path.Join(s.Root, a), s.Release})
	}
	for _, d := range dirs {
		made, err := ensureDir(e, d)
		if err != nil {
			return res, err
		}
		if made {
			res.Created = append(res.Created, d)
		}
	}
	for _, l := range links {
		made, err := ensureLink(e, l[0], l[1])
		if err != nil {
			return res, err
		}
		if made {
			res.Created = append(res.Created, l[0]+" -> "+l[1])
		}
	}
	return res, nil
}

// exists runs test(1): exit 1 means no, anything else but 0 is an error.
func exists(e *env.Env, flag, p string) (bool, error) {
	t := tool.Tool{Name: "test", Failed: func(r exec.Result) bool { return r.Code > 1 || r.TimedOut }}
	r, err := t.Read(e, flag, p)
	if err != nil {
		return false, err
	}
	return r.Code == 0, nil
}

func ensureDir(e *env.Env, d string) (bool, error) {
	if ok, err := exists(e, "-d", d); err != nil || ok {
		return false, err
	}
	if ok, err := exists(e, "-e", d); err != nil {
		return false, err
	} else if ok {
		return false, fmt.Errorf("%s exists and is not a directory: not replaced", d)
	}
	_, err := tool.Tool{Name: "mkdir"}.Change(e, "-p", "--", d)
	return err == nil, err
}

func ensureLink(e *env.Env, p, target string) (bool, error) {
	isLink, err := exists(e, "-L", p)
	if err != nil {
		return false, err
	}
	if isLink {
		r, err := tool.Tool{Name: "readlink"}.Read(e, "--", p)
		if err != nil {
			return false, err
		}
		got := strings.TrimSuffix(string(r.Stdout), "\n")
		// The seed's script links by absolute path: the same place.
		if got == target || got == path.Join(path.Dir(p), target) {
			return false, nil
		}
		return false, fmt.Errorf("%s is a link to %s, not to %s: not replaced", p, got, target)
	}
	if ok, err := exists(e, "-e", p); err != nil {
		return false, err
	} else if ok {
		return false, fmt.Errorf("%s exists and is not a link to %s: reposync writes REPO/RPMS, so REPO/ARCH must be that link; move it away first", p, target)
	}
	_, err = tool.Tool{Name: "ln"}.Change(e, "-s", "--", target, p)
	return err == nil, err
}
