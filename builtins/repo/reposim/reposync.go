package reposim

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The messages are dnf 4.14's (checked on this machine against a local
// HTTP repository, TestMirrorAsRealTools) and yum-utils 1.1's (reposync.py
// and yum's RepoError texts; no EL5 host to record from).

type syncArgs struct {
	repo, dest, config, arch, releasever string
	newest                               bool
}

func yumReposync(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	opts, ops := sim.Getopt(c.Argv[1:], "-r", "--repoid", "-p", "--download_path", "-c", "--config", "-a", "--arch")
	if _, ok := opts["--help"]; ok {
		return sim.OK("usage: \n    Reposync is used to synchronize a remote yum repository to a local \n    directory using yum to retrieve the packages.\n    \n    /usr/bin/reposync [options]\n    \n\noptions:\n  -h, --help            show this help message and exit\n  -c CONFIG, --config=CONFIG\n                        config file to use (defaults to /etc/yum.conf)\n  -a ARCH, --arch=ARCH  act as if running the specified arch (default: current\n                        arch, note: does not override $releasever)\n  -r REPOID, --repoid=REPOID\n                        specify repo ids to query, can be specified multiple\n                        times (default is all enabled)\n  -p DESTDIR, --download_path=DESTDIR\n                        Path to download packages to: defaults to current dir\n  -n, --newest-only     Download only newest packages per-repo\n  -q, --quiet           Output as little as possible\n")
	}
	a := syncArgs{repo: pick(opts, "-r", "--repoid"), dest: pick(opts, "-p", "--download_path"), config: pick(opts, "-c", "--config"), arch: pick(opts, "-a", "--arch"), releasever: slot.Get(h).Release}
	_, n1 := opts["-n"]
	_, n2 := opts["--newest-only"]
	a.newest = n1 || n2
	if len(ops) > 0 || a.repo == "" {
		return sim.Fail(1, "reposync: the simulated host supports only reposync -r REPOID [-p DIR] [-c CONF] [-a ARCH] [-n]\n")
	}
	return syncRepo(h, a, false)
}

func dnf(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	opts, ops := sim.Getopt(c.Argv[1:], "--repoid", "--repo", "-p", "--download-path", "-c", "--config", "-a", "--arch", "--releasever")
	if len(ops) == 0 || ops[0] != "reposync" {
		cmd := "(none)"
		if len(ops) > 0 {
			cmd = ops[0]
		}
		return sim.Fail(1, fmt.Sprintf("No such command: %s. Please use /usr/bin/dnf --help\nIt could be a DNF plugin command: the simulated host has only dnf reposync\n", cmd))
	}
	if _, ok := opts["--help"]; ok {
		return sim.OK("usage: dnf reposync [-c [config file]] [--repoid REPOID] [-p DOWNLOAD_PATH] [-a ARCH] [-n]\n\ndownload all packages from remote repo\n")
	}
	a := syncArgs{repo: pick(opts, "--repoid", "--repo"), dest: pick(opts, "-p", "--download-path"), config: pick(opts, "-c", "--config"), arch: pick(opts, "-a", "--arch"), releasever: opts["--releasever"]}
	_, n1 := opts["-n"]
	_, n2 := opts["--newest-only"]
	a.newest = n1 || n2
	if len(ops) > 1 || a.repo == "" {
		return sim.Fail(1, "dnf: the simulated host supports only dnf reposync --repoid ID [-p DIR] [-c CONF] [-a ARCH] [-n] [--releasever R]\n")
	}
	return syncRepo(h, a, true)
}

func pick(opts map[string]string, names ...string) string {
	for _, n := range names {
		if v, ok := opts[n]; ok {
			return v
		}
	}
	return ""
}

func syncRepo(h *sim.Host, a syncArgs, isDNF bool) exec.Result {
	if a.config == "" {
		a.config = "/etc/yum.conf"
	}
	conf, ok := h.ReadFile(a.config)
	if !ok {
		return sim.Fail(1, fmt.Sprintf("Config error: Error accessing file for config file://%s\n", a.config))
	}
	reposdir := iniGet(parseINI(string(conf))["main"], "reposdir", "/etc/yum.repos.d")
	var section map[string]string
	files, _, _ := h.Under(reposdir)
	for _, f := range files {
		if !strings.HasSuffix(f, ".repo") {
			continue
		}
		data, _ := h.ReadFile(f)
		if s, ok := parseINI(string(data))[a.repo]; ok {
			section = s
		}
	}
	if section == nil {
		if isDNF {
			return sim.Fail(1, fmt.Sprintf("Error: Unknown repo: '%s'\n", a.repo))
		}
		return sim.Fail(1, fmt.Sprintf("Error setting up repositories: Error getting repository data for %s, repository not found\n", a.repo))
	}
	arch := a.arch
	if arch == "" {
		arch = "i386"
	}
	src, err := sourceURL(section, a.releasever, arch, isDNF)
	if err != "" {
		return sim.Fail(1, err)
	}
	pkgs, found := slot.Get(h).Upstreams[strings.TrimSuffix(src, "/")]
	if !found {
		if isDNF {
			return sim.Fail(1, fmt.Sprintf("Errors during downloading metadata for repository '%s':\n  - Status code: 404 for %s/repodata/repomd.xml\nError: Failed to download metadata for repo '%s': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried\n", a.repo, strings.TrimSuffix(src, "/"), a.repo))
		}
		return sim.Fail(1, fmt.Sprintf("%s/repodata/repomd.xml: [Errno 14] HTTP Error 404: Not Found\nError: Cannot retrieve repository metadata (repomd.xml) for repository: %s. Please verify its path and try again\n", strings.TrimSuffix(src, "/"), a.repo))
	}
	if a.newest {
		pkgs = newest(pkgs)
	}
	dir := path.Join(a.dest, a.repo, "RPMS")
	if a.dest == "" {
		dir = path.Join("/root", a.repo, "RPMS") // the current directory: root's home
	}
	var out strings.Builder
	for _, p := range pkgs {
		if a.arch != "" && p.Arch != a.arch && p.Arch != "noarch" && !(a.arch == "i386" && (p.Arch == "i686" || p.Arch == "i586")) {
			continue
		}
		f := path.Join(dir, p.File())
		if old, ok := h.ReadFile(f); ok && len(old) == p.Size {
			if isDNF {
				fmt.Fprintf(&out, "[SKIPPED] %s: Already downloaded\n", p.File())
			}
			continue
		}
		h.MakeDir(dir)
		h.WriteFile(f, rpmHeader(p), 0o644)
		if isDNF {
			fmt.Fprintf(&out, "%-48s %6s | %s     00:00\n", p.File(), "1.1 MB/s", sizeText(p.Size))
		} else {
			fmt.Fprintf(&out, "Downloading %s\n", p.File())
		}
	}
	return sim.OK(out.String())
}

func sizeText(n int) string {
	if n < 1000 {
		return fmt.Sprintf("%d  B", n)
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1000)
}

// sourceURL is the repository's baseurl, or what CentOS's mirrorlist
// (?release=R&arch=A&repo=X) answers: the mirror's R/X/A.
func sourceURL(s map[string]string, release, arch string, isDNF bool) (string, string) {
	raw := iniGet(s, "baseurl", "")
	if raw == "" {
		ml := iniGet(s, "mirrorlist", "")
		u, err := url.Parse(strings.NewReplacer("$releasever", release, "$basearch", arch).Replace(ml))
		if ml == "" || err != nil || u.Query().Get("repo") == "" {
			return "", "Error: Cannot find a valid baseurl for repo\n"
		}
		q := u.Query()
		raw = fmt.Sprintf("http://mirror.centos.org/centos/%s/%s/%s", q.Get("release"), q.Get("repo"), q.Get("arch"))
	}
	raw = strings.Fields(raw)[0]
	if strings.Contains(raw, "$releasever") && release == "" {
		if isDNF {
			return "", "Unable to detect release version (use '--releasever' to specify release version)\n"
		}
	}
	return strings.NewReplacer("$releasever", release, "$basearch", arch).Replace(raw), ""
}

// parseINI reads yum's INI files: sections of key=value, # comments.
func parseINI(text string) map[string]map[string]string {
	out := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			cur = map[string]string{}
			out[line[1:len(line)-1]] = cur
		case cur != nil:
			if k, v, ok := strings.Cut(line, "="); ok {
				cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return out
}

func iniGet(s map[string]string, k, def string) string {
	if v, ok := s[k]; ok && v != "" {
		return v
	}
	return def
}
