package reposim

import (
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The upstream mirror as a web site for the host's curl: the documents it
// serves besides packages (the GPG key the seed fetches next to the tree).

// KeyURL is the CentOS 5 key the seed fetches next to the tree.
const KeyURL = "http://mirror.centos.org/centos/RPM-GPG-KEY-CentOS-5"

// keyText stands for the key: not CentOS's real key, whose bytes are not
// kept here (the fake only needs a file in its place).
const keyText = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: GnuPG v1.4.5 (GNU/Linux)\n\n(simulated: the CentOS 5 signing key is fetched on a real host)\n-----END PGP PUBLIC KEY BLOCK-----\n"

// site answers curl for mirror.centos.org.
func site(h *sim.Host, url string) (string, bool) {
	if body, ok := slot.Get(h).Files[url]; ok {
		return body, true
	}
	if url == KeyURL {
		return keyText, true
	}
	return "", false
}
