package reposim

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"path"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// createrepo_c 0.17.3 with --no-database: repodata/ with repomd.xml and
// primary, filelists and other as SHA256-named .xml.gz, in the layout of
// testdata/createrepo_c-0.17.3-repomd.xml (recorded on this machine).

func createrepoC(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	name := path.Base(c.Argv[0])
	opts, ops := sim.Getopt(c.Argv[1:], "--workers", "-o", "--outputdir")
	if _, ok := opts["--version"]; ok {
		return sim.OK("Version: 0.17.3 (Features: DeltaRPM LegacyWeakdeps )\n")
	}
	for k := range opts {
		switch k {
		case "--update", "--no-database", "-q", "--quiet", "-v", "--verbose", "--workers", "-d", "--database":
		default:
			return sim.Fail(1, fmt.Sprintf("%s: the simulated host does not support option %s\n", name, k))
		}
	}
	if len(ops) != 1 {
		return sim.Fail(1, "Must specify exactly one directory to index.\nUsage: createrepo_c [options] <directory_to_index>\n")
	}
	dir := ops[0]
	if !h.IsDir(dir) {
		return sim.Fail(1, fmt.Sprintf("Directory %s must exist\n", dir))
	}
	files, _, _ := h.Under(dir)
	var pkgs []Pkg
	var locs []string
	var warn strings.Builder
	for _, f := range files {
		if !strings.HasSuffix(f, ".rpm") || strings.Contains(f, "/repodata/") {
			continue
		}
		data, _ := h.ReadFile(f)
		p, ok := readRPM(data)
		if !ok {
			fmt.Fprintf(&warn, "C_CREATEREPOLIB: Warning: read_header: rpmReadPackageFile() error\nC_CREATEREPOLIB: Warning: Cannot read package: %s: rpmReadPackageFile() error\n", f)
			continue
		}
		pkgs, locs = append(pkgs, p), append(locs, strings.TrimPrefix(f, strings.TrimSuffix(h.RealPath(dir), "/")+"/"))
	}
	st := slot.Get(h)
	primary := primaryXML(h, dir, pkgs, locs)
	rd := path.Join(dir, "repodata")
	old, _ := h.ReadFile(path.Join(rd, "repomd.xml"))
	oldFiles, _, _ := h.Under(rd)
	rev := oldRevision(old)
	if rev == 0 || !strings.Contains(string(old), sha(gz(primary))) {
		st.Revision++ // the package set changed: a later time(NULL)
		rev = st.Revision
	}
	for _, f := range oldFiles {
		h.RemoveFile(f)
	}
	h.MakeDir(rd)
	var md strings.Builder
	fmt.Fprintf(&md, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n  <revision>%d</revision>\n", rev)
	for _, m := range []struct{ typ, body string }{
		{"primary", primary},
		{"filelists", fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"%d\">\n</filelists>\n", len(pkgs))},
		{"other", fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"%d\">\n</otherdata>\n", len(pkgs))},
	} {
		z := gz(m.body)
		loc := "repodata/" + sha(z) + "-" + m.typ + ".xml.gz"
		h.WriteFile(path.Join(dir, loc), z, 0o644)
		fmt.Fprintf(&md, "  <data type=\"%s\">\n    <checksum type=\"sha256\">%s</checksum>\n    <open-checksum type=\"sha256\">%s</open-checksum>\n    <location href=\"%s\"/>\n    <timestamp>%d</timestamp>\n    <size>%d</size>\n    <open-size>%d</open-size>\n  </data>\n",
			m.typ, sha(z), sha([]byte(m.body)), loc, rev, len(z), len(m.body))
	}
	md.WriteString("</repomd>\n")
	h.WriteFile(path.Join(rd, "repomd.xml"), []byte(md.String()), 0o644)
	out := fmt.Sprintf("Directory walk started\nDirectory walk done - %d packages\nTemporary output repo path: %s/.repodata/\nPool started (with 5 workers)\nPool finished\n", len(pkgs), strings.TrimSuffix(dir, "/"))
	return exec.Result{Stdout: []byte(out), Stderr: []byte(warn.String())}
}

// oldRevision is the revision of an existing repomd.xml, 0 without one.
func oldRevision(md []byte) int64 {
	_, rest, ok := strings.Cut(string(md), "<revision>")
	num, _, ok2 := strings.Cut(rest, "</revision>")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || !ok2 || err != nil {
		return 0
	}
	return n
}

func primaryXML(h *sim.Host, dir string, pkgs []Pkg, locs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"%d\">\n", len(pkgs))
	for i, p := range pkgs {
		epoch := p.Epoch
		if epoch == "" {
			epoch = "0"
		}
		data, _ := h.ReadFile(path.Join(dir, locs[i]))
		e := html.EscapeString
		fmt.Fprintf(&b, "<package type=\"rpm\">\n  <name>%s</name>\n  <arch>%s</arch>\n  <version epoch=\"%s\" ver=\"%s\" rel=\"%s\"/>\n  <checksum type=\"sha256\" pkgid=\"YES\">%s</checksum>\n  <summary>%s</summary>\n  <description>%s</description>\n  <packager></packager>\n  <url></url>\n  <time file=\"0\" build=\"0\"/>\n  <size package=\"%d\" installed=\"0\" archive=\"0\"/>\n  <location href=\"%s\"/>\n  <format>\n  </format>\n</package>\n",
			e(p.Name), e(p.Arch), e(epoch), e(p.Version), e(p.Release), sha(data), e(p.Name), e(p.Name), len(data), e(locs[i]))
	}
	b.WriteString("</metadata>\n")
	return b.String()
}

func gz(s string) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf) // no name nor time in the header: the same input gives the same bytes
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
