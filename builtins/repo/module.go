// Package repo is vrun's `repo` module: a local yum mirror (seed 002) with
// reposync (yum-utils) or dnf reposync, createrepo_c or createrepo, the
// mirror's directory tree, its private yum.conf and .repo files, and the
// checksum of the DVD image its base repository comes from.
package repo

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module returns the repo module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "repo", Doc: "yum mirrors: reposync, createrepo, the tree, yum.conf and .repo files", Funcs: []starutil.Func{
		{Name: "createrepo", Params: "(dir, update = True)", Doc: "createrepo_c (or createrepo) on dir, then read repodata back: struct(dir, tool, revision, packages, bytes, added, removed, added_bytes)", Impl: createrepo},
		{Name: "repo_file", Params: "(repos)", Doc: "render a .repo file from {id: {key: value}} (exactly one of baseurl, mirrorlist, metalink per repo); writes nothing", Impl: repoFile},
		{Name: "reposync", Params: "(repo, dest, config = None, arch = None, newest_only = False, releasever = None, tool = None)", Doc: "download a repository into dest/REPO with reposync (yum-utils) or dnf reposync, whichever the target has (tool forces one); returns struct(repo, path, tool)", Impl: reposync},
		{Name: "tree", Params: "(root, release = \"5\", repos = [\"os\", \"updates\", \"addons\", \"extras\", \"centosplus\"], arch = \"i386\", base = \"os\", aliases = [])", Doc: "make ROOT/RELEASE/REPO/ARCH: the base repo a directory, the others REPO/RPMS with REPO/ARCH -> RPMS (what reposync leaves out); aliases are release links (5.0 -> 5); returns struct(top, paths, created, changed)", Impl: tree},
		{Name: "verify", Params: "(path, sha256 = None, sha1 = None, md5 = None)", Doc: "check a file's checksum (one of sha256, sha1, md5) with sha256sum/sha1sum/md5sum; fails on a mismatch", Impl: verify},
		{Name: "yum_conf", Params: "(reposdir, cachedir = None, **keys)", Doc: "render a private yum.conf ([main] with reposdir, cachedir and any other keys); writes nothing", Impl: yumConf},
	}}
}

func tree(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s := TreeSpec{Release: "5", Arch: "i386", Base: "os", Repos: []string{"os", "updates", "addons", "extras", "centosplus"}}
	repos, aliases := starutil.Strings(s.Repos), starutil.Strings{}
	if err := starutil.Unpack(b, args, kwargs, "root", &s.Root, "release?", &s.Release, "repos?", &repos, "arch?", &s.Arch, "base?", &s.Base, "aliases?", &aliases); err != nil {
		return nil, err
	}
	s.Repos, s.Aliases = repos, aliases
	if err := s.check(); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	r, err := Tree(e, s)
	if err != nil {
		return nil, err
	}
	paths := starlark.NewDict(len(r.Paths))
	for _, repo := range s.Repos {
		_ = paths.SetKey(starlark.String(repo), starlark.String(r.Paths[repo]))
	}
	return starutil.Struct("repo.tree", starlark.StringDict{
		"top": starlark.String(r.Top), "paths": paths, "created": strList(r.Created), "changed": starlark.Bool(len(r.Created) > 0),
	}), nil
}

func reposync(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var s SyncSpec
	if err := starutil.Unpack(b, args, kwargs, "repo", &s.Repo, "dest", &s.Dest, "config?", &s.Config, "arch?", &s.Arch,
		"newest_only?", &s.NewestOnly, "releasever?", &s.Releasever, "tool?", &s.Tool); err != nil {
		return nil, err
	}
	if _, err := SyncArgv("dnf", s); err != nil {
		return nil, err // before touching the target
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	bin, dir, err := Sync(e, s)
	if err != nil {
		return nil, err
	}
	return starutil.Struct("repo.reposync", starlark.StringDict{
		"repo": starlark.String(s.Repo), "path": starlark.String(dir), "tool": starlark.String(bin),
	}), nil
}

func createrepo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var dir string
	update := true
	if err := starutil.Unpack(b, args, kwargs, "dir", &dir, "update?", &update); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	s, err := Createrepo(e, dir, update)
	if err != nil {
		return nil, err
	}
	return starutil.Struct("repo.createrepo", starlark.StringDict{
		"dir": starlark.String(s.Dir), "tool": starlark.String(s.Tool), "revision": starlark.String(s.Revision),
		"packages": starlark.MakeInt(s.Packages), "bytes": starlark.MakeInt64(s.Bytes),
		"added": strList(s.Added), "removed": strList(s.Removed), "added_bytes": starlark.MakeInt64(s.AddedBytes),
	}), nil
}

func verify(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var p, sha256, sha1, md5 string
	if err := starutil.Unpack(b, args, kwargs, "path", &p, "sha256?", &sha256, "sha1?", &sha1, "md5?", &md5); err != nil {
		return nil, err
	}
	algo, want, n := "", "", 0
	for _, c := range [][2]string{{"sha256", sha256}, {"sha1", sha1}, {"md5", md5}} {
		if c[1] != "" {
			algo, want, n = c[0], c[1], n+1
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("give exactly one of sha256, sha1 or md5 (got %d)", n)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if err := Verify(e, p, algo, want); err != nil {
		return nil, err
	}
	return starlark.True, nil
}

func yumConf(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var reposdir, cachedir string
	var extra []starlark.Tuple
	var known []starlark.Tuple
	for _, kv := range kwargs {
		if k := string(kv[0].(starlark.String)); k == "reposdir" || k == "cachedir" {
			known = append(known, kv)
		} else {
			extra = append(extra, kv)
		}
	}
	if err := starutil.Unpack(b, args, known, "reposdir", &reposdir, "cachedir?", &cachedir); err != nil {
		return nil, err
	}
	keys := [][2]string{{"reposdir", reposdir}}
	if cachedir != "" {
		keys = append(keys, [2]string{"cachedir", cachedir})
	}
	for _, kv := range extra {
		v, err := iniValue(kv[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", kv[0].(starlark.String), err)
		}
		keys = append(keys, [2]string{string(kv[0].(starlark.String)), v})
	}
	text, err := RenderINI([]Section{{Name: "main", Keys: keys}})
	if err != nil {
		return nil, err
	}
	return starlark.String(text), nil
}

func repoFile(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var repos *starlark.Dict
	if err := starutil.Unpack(b, args, kwargs, "repos", &repos); err != nil {
		return nil, err
	}
	if repos.Len() == 0 {
		return nil, fmt.Errorf("repos is empty")
	}
	var sections []Section
	for _, item := range repos.Items() {
		id, ok := item[0].(starlark.String)
		keys, ok2 := item[1].(*starlark.Dict)
		if !ok || !ok2 {
			return nil, fmt.Errorf("got %s: %s, want {id: {key: value}}", item[0].Type(), item[1].Type())
		}
		s := Section{Name: string(id)}
		for _, kv := range keys.Items() {
			k, ok := kv[0].(starlark.String)
			if !ok {
				return nil, fmt.Errorf("[%s]: got %s key, want string", id, kv[0].Type())
			}
			v, err := iniValue(kv[1])
			if err != nil {
				return nil, fmt.Errorf("[%s] %s: %w", id, k, err)
			}
			s.Keys = append(s.Keys, [2]string{string(k), v})
		}
		if err := CheckRepoSection(s); err != nil {
			return nil, err
		}
		sections = append(sections, s)
	}
	text, err := RenderINI(sections)
	if err != nil {
		return nil, err
	}
	return starlark.String(text), nil
}

// iniValue renders a value as yum reads it: bools as 1/0, lists joined by
// spaces (gpgkey, exclude).
func iniValue(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.String:
		return string(v), nil
	case starlark.Bool:
		if v {
			return "1", nil
		}
		return "0", nil
	case starlark.Int:
		return v.String(), nil
	case *starlark.List, starlark.Tuple:
		var s starutil.Strings
		if err := s.Unpack(v); err != nil {
			return "", err
		}
		out := ""
		for i, x := range s {
			if i > 0 {
				out += " "
			}
			out += x
		}
		return out, nil
	}
	return "", fmt.Errorf("got %s, want string, int, bool or list of strings", v.Type())
}

func strList(ss []string) *starlark.List {
	out := make([]starlark.Value, len(ss))
	for i, s := range ss {
		out[i] = starlark.String(s)
	}
	return starlark.NewList(out)
}
