// Package debootstrap is vrun's `debootstrap` module: Debian root
// filesystems for containers, with the tarball cache seed 003 keeps
// (--make-tarball once, --unpack-tarball per rootfs).
package debootstrap

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// Module returns the debootstrap module.
func Module() *starutil.Module {
	return &starutil.Module{Name: "debootstrap", Doc: "Debian root filesystems (debootstrap)", Funcs: []starutil.Func{
		{Name: "bootstrap", Params: "(suite, target, mirror = None, variant = None, arch = None, include = [], unpack_tarball = None)", Impl: bootstrap,
			Doc: "install a Debian suite into target (from unpack_tarball's packages when given, an absolute path); False if target already holds one (etc/debian_version)"},
		{Name: "make_tarball", Params: "(tarball, suite, workdir, mirror = None, variant = None, arch = None, include = [])", Impl: makeTarball,
			Doc: "download the suite's packages into tarball (an absolute path) for later bootstraps; False if it exists"},
	}}
}

var (
	suiteRE   = regexp.MustCompile(`^[a-z][a-z0-9.-]*$`)
	variantRE = regexp.MustCompile(`^(minbase|buildd|fakechroot|-)$`)
	archRE    = regexp.MustCompile(`^[a-z0-9]+$`)
	pkgRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
)

// opts are the options both builtins share.
type opts struct {
	suite, mirror, variant, arch string
	include                      starutil.Strings
}

func (o *opts) argv() ([]string, error) {
	var argv []string
	if !suiteRE.MatchString(o.suite) {
		return nil, fmt.Errorf("suite: got %q, want a suite such as bookworm", o.suite)
	}
	if o.variant != "" {
		if !variantRE.MatchString(o.variant) {
			return nil, fmt.Errorf("variant: got %q, want minbase, buildd or fakechroot", o.variant)
		}
		argv = append(argv, "--variant="+o.variant)
	}
	if o.arch != "" {
		if !archRE.MatchString(o.arch) {
			return nil, fmt.Errorf("arch: got %q, want a Debian architecture such as amd64", o.arch)
		}
		argv = append(argv, "--arch="+o.arch)
	}
	for _, p := range o.include {
		if !pkgRE.MatchString(p) {
			return nil, fmt.Errorf("include: got %q, want a package name", p)
		}
	}
	if len(o.include) > 0 {
		argv = append(argv, "--include="+strings.Join(o.include, ","))
	}
	if o.mirror != "" {
		if err := starutil.Operand(o.mirror, "a mirror URL"); err != nil || strings.ContainsAny(o.mirror, " \n") {
			return nil, fmt.Errorf("mirror: got %q, want a mirror URL such as http://deb.debian.org/debian", o.mirror)
		}
	}
	return argv, nil
}

func absPath(p, what string) error {
	if err := starutil.Operand(p, "an absolute path"); err != nil || !path.IsAbs(p) || strings.ContainsAny(p, "\n,") {
		return fmt.Errorf("%s: got %q, want an absolute path (debootstrap needs one)", what, p)
	}
	return nil
}

// exists asks test -e on the target.
func exists(e *env.Env, p string) (bool, error) {
	res, err := e.Run(exec.Cmd{Argv: []string{"test", "-e", p}})
	if err != nil {
		return false, err
	}
	return res.Code == 0, nil
}

var debTool = tool.Tool{Name: "debootstrap", Explain: func(r exec.Result) string {
	// debootstrap says why on "E: ..." lines.
	var why []string
	for _, l := range strings.Split(string(r.Stdout)+string(r.Stderr), "\n") {
		if strings.HasPrefix(l, "E: ") {
			why = append(why, strings.TrimPrefix(l, "E: "))
		}
	}
	return strings.Join(why, "; ")
}}

func bootstrap(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var o opts
	var target, tarball string
	if err := starutil.Unpack(b, args, kwargs, "suite", &o.suite, "target", &target, "mirror??", &o.mirror, "variant??", &o.variant,
		"arch??", &o.arch, "include?", &o.include, "unpack_tarball??", &tarball); err != nil {
		return nil, err
	}
	argv, err := o.argv()
	if err != nil {
		return nil, err
	}
	if err := absPath(target, "target"); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if tarball != "" {
		if err := absPath(tarball, "unpack_tarball"); err != nil {
			return nil, err
		}
		if ok, err := exists(e, tarball); err != nil || !ok {
			return nil, fmt.Errorf("unpack_tarball %s is not there (make it with debootstrap.make_tarball): %v", tarball, err)
		}
		argv = append(argv, "--unpack-tarball="+tarball)
	}
	if done, err := exists(e, path.Join(target, "etc/debian_version")); err != nil {
		return nil, err
	} else if done {
		return starlark.False, nil
	}
	argv = append(argv, "--", o.suite, target)
	if o.mirror != "" {
		argv = append(argv, o.mirror)
	}
	if _, err := debTool.Change(e, argv...); err != nil {
		return nil, err
	}
	if done, err := exists(e, path.Join(target, "etc/debian_version")); err != nil || !done {
		return nil, fmt.Errorf("debootstrap finished but %s has no etc/debian_version (%v)", target, err)
	}
	return starlark.True, nil
}

func makeTarball(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var o opts
	var tarball, workdir string
	if err := starutil.Unpack(b, args, kwargs, "tarball", &tarball, "suite", &o.suite, "workdir", &workdir, "mirror??", &o.mirror,
		"variant??", &o.variant, "arch??", &o.arch, "include?", &o.include); err != nil {
		return nil, err
	}
	argv, err := o.argv()
	if err != nil {
		return nil, err
	}
	if err := absPath(tarball, "tarball"); err != nil {
		return nil, err
	}
	if err := absPath(workdir, "workdir"); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if done, err := exists(e, tarball); err != nil {
		return nil, err
	} else if done {
		return starlark.False, nil
	}
	argv = append(argv, "--make-tarball="+tarball, "--", o.suite, workdir)
	if o.mirror != "" {
		argv = append(argv, o.mirror)
	}
	if _, err := debTool.Change(e, argv...); err != nil {
		return nil, err
	}
	if done, err := exists(e, tarball); err != nil || !done {
		return nil, fmt.Errorf("debootstrap finished but %s is not there (%v)", tarball, err)
	}
	return starlark.True, nil
}
