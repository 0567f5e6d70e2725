package reposim

import (
	"context"
	"fmt"
	"path"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// curl -fsS [--proto =https,http] -o FILE URL, answered from the upstream
// mirror's files (its GPG key): the one download the mirror recipe makes
// besides reposync's. Messages are curl 7.88's.

// KeyURL is the CentOS 5 key the seed fetches next to the tree.
const KeyURL = "http://mirror.centos.org/centos/RPM-GPG-KEY-CentOS-5"

// keyText stands for the key: not CentOS's real key, whose bytes are not
// kept here (the fake only needs a file in its place).
const keyText = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: GnuPG v1.4.5 (GNU/Linux)\n\n(simulated: the CentOS 5 signing key is fetched on a real host)\n-----END PGP PUBLIC KEY BLOCK-----\n"

func curl(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	opts, ops := sim.Getopt(c.Argv[1:], "-o", "--output", "--proto")
	out := pick(opts, "-o", "--output")
	if len(ops) != 1 || out == "" {
		return sim.Fail(2, "curl: the simulated host supports only curl [-fsSL] [--proto P] -o FILE URL\n")
	}
	url := ops[0]
	body, ok := slot.Get(h).Files[url]
	if !ok && url == KeyURL {
		body, ok = keyText, true
	}
	if !ok {
		return sim.Fail(22, fmt.Sprintf("curl: (22) The requested URL returned error: 404\n"))
	}
	if !h.IsDir(path.Dir(out)) {
		return sim.Fail(23, fmt.Sprintf("curl: (23) Failure writing output to destination\n"))
	}
	h.WriteFile(out, []byte(body), 0o644)
	return sim.OK("")
}
