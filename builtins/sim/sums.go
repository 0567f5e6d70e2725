package sim

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// md5sum, sha1sum and sha256sum as GNU coreutils 9.1 print them: "HEX  FILE"
// per file, the error of a file that cannot be read on stderr and exit 1
// once every file was tried. The host's: a mirror checks its ISO with
// them, a download its archive.

func registerSums(h *Host) {
	for name, mk := range map[string]func() hash.Hash{"md5sum": md5.New, "sha1sum": sha1.New, "sha256sum": sha256.New} {
		h.Register(name, sumTool(name, mk))
	}
}

func sumTool(name string, mk func() hash.Hash) Tool {
	return func(_ context.Context, h *Host, c exec.Cmd) exec.Result {
		opts, files := Getopt(c.Argv[1:])
		for k := range opts {
			if k != "-b" && k != "--binary" {
				return Fail(1, fmt.Sprintf("%s: the simulated host supports only %s [-b] [--] FILE...\n", name, name))
			}
		}
		if len(files) == 0 {
			return Fail(1, fmt.Sprintf("%s: the simulated host does not read stdin: name a file\n", name))
		}
		var out, errs strings.Builder
		for _, f := range files {
			data, ok := h.ReadFile(f)
			switch {
			case h.IsDir(f):
				fmt.Fprintf(&errs, "%s: %s: Is a directory\n", name, f)
			case !ok:
				fmt.Fprintf(&errs, "%s: %s: No such file or directory\n", name, f)
			default:
				s := mk()
				s.Write(data)
				fmt.Fprintf(&out, "%s  %s\n", hex.EncodeToString(s.Sum(nil)), f)
			}
		}
		r := OK(out.String())
		if errs.Len() > 0 {
			r.Code, r.Stderr = 1, []byte(errs.String())
		}
		return r
	}
}
