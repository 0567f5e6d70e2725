// Package debootstrapsim fakes debootstrap 1.0.128 on the simulated host:
// --make-tarball writes a package tarball, a bootstrap (from a tarball or
// a mirror) writes a minimal Debian tree. Messages follow debootstrap's
// "I:"/"E:" lines.
package debootstrapsim

import (
	"context"
	"path"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// Install registers the debootstrap fake.
func Install(h *sim.Host) { h.Register("debootstrap", debootstrap) }

func debootstrap(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	opts, ops := sim.Getopt(c.Argv[1:])
	if len(ops) < 2 {
		return sim.Fail(1, "E: You must specify a suite and a target.\n")
	}
	suite, target := ops[0], ops[1]
	if tb, ok := opts["--make-tarball"]; ok {
		if !path.IsAbs(tb) || !h.IsDir(path.Dir(tb)) {
			return sim.Fail(1, "E: Couldn't create tarball "+tb+"\n")
		}
		h.MakeDir(target)
		h.WriteFile(tb, []byte("simulated debootstrap package tarball: "+suite+"\n"), 0o644)
		return sim.OK("I: Retrieving InRelease \nI: Validating Packages \nI: Making tarball " + tb + "\nI: Base system installed successfully.\n")
	}
	if tb, ok := opts["--unpack-tarball"]; ok {
		if !path.IsAbs(tb) {
			return sim.Fail(1, "E: --unpack-tarball needs an absolute path\n")
		}
		if _, ok := h.ReadFile(tb); !ok {
			return sim.Fail(1, "E: "+tb+": No such file or directory\n")
		}
	} else if len(ops) < 3 {
		return sim.Fail(1, "E: Failure trying to run: the simulated host has no network: give --unpack-tarball\n")
	}
	for _, d := range []string{"bin", "dev", "etc", "home", "root", "sbin", "tmp", "usr/bin", "var/lib"} {
		h.MakeDir(path.Join(target, d))
	}
	for p, data := range map[string]string{"etc/debian_version": "12.15\n", "etc/passwd": "root:x:0:0:root:/root:/bin/bash\n",
		"etc/group": "root:x:0:\n", "etc/hostname": "localhost\n", "bin/bash": "simulated bash\n"} {
		h.WriteFile(path.Join(target, p), []byte(data), 0o644)
	}
	h.Symlink("/bin/bash", path.Join(target, "sbin/init"))
	return sim.OK("I: Configuring apt...\nI: Base system installed successfully.\n")
}
