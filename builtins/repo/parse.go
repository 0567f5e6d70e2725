package repo

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Repomd is what createrepo's repodata/repomd.xml says (the machine-readable
// result of a run; notes/tools.md §8).
type Repomd struct {
	Revision string
	Data     map[string]RepomdData // by type: primary, filelists, other...
}

// RepomdData is one metadata file.
type RepomdData struct {
	Location, Checksum string
	Size, OpenSize     int64
}

type repomdXML struct {
	Revision string `xml:"revision"`
	Data     []struct {
		Type     string `xml:"type,attr"`
		Checksum string `xml:"checksum"`
		Location struct {
			Href string `xml:"href,attr"`
		} `xml:"location"`
		Size     int64 `xml:"size"`
		OpenSize int64 `xml:"open-size"`
	} `xml:"data"`
}

// ParseRepomd reads repomd.xml; one without a primary is an error.
func ParseRepomd(data []byte) (Repomd, error) {
	var x repomdXML
	if err := xml.Unmarshal(data, &x); err != nil {
		return Repomd{}, fmt.Errorf("cannot read repomd.xml: %w", err)
	}
	r := Repomd{Revision: x.Revision, Data: map[string]RepomdData{}}
	for _, d := range x.Data {
		if d.Type == "" || d.Location.Href == "" {
			return Repomd{}, fmt.Errorf("repomd.xml: a data entry without a type or location")
		}
		if strings.HasPrefix(d.Location.Href, "/") || strings.Contains(d.Location.Href, "..") {
			return Repomd{}, fmt.Errorf("repomd.xml: %s location %q leaves the repository", d.Type, d.Location.Href)
		}
		r.Data[d.Type] = RepomdData{Location: d.Location.Href, Checksum: d.Checksum, Size: d.Size, OpenSize: d.OpenSize}
	}
	if _, ok := r.Data["primary"]; !ok {
		return Repomd{}, fmt.Errorf("repomd.xml lists no primary metadata")
	}
	return r, nil
}

// Package is one package of primary.xml.
type Package struct {
	Name, Arch, Epoch, Version, Release, Location string
	Size                                          int64 // the .rpm file's bytes
}

// NEVRA is name-[epoch:]version-release.arch, as yum prints it.
func (p Package) NEVRA() string {
	ev := p.Version
	if p.Epoch != "" && p.Epoch != "0" {
		ev = p.Epoch + ":" + ev
	}
	return p.Name + "-" + ev + "-" + p.Release + "." + p.Arch
}

type primaryXML struct {
	Count    int `xml:"packages,attr"`
	Packages []struct {
		Name    string `xml:"name"`
		Arch    string `xml:"arch"`
		Version struct {
			Epoch string `xml:"epoch,attr"`
			Ver   string `xml:"ver,attr"`
			Rel   string `xml:"rel,attr"`
		} `xml:"version"`
		Size struct {
			Package int64 `xml:"package,attr"`
		} `xml:"size"`
		Location struct {
			Href string `xml:"href,attr"`
		} `xml:"location"`
	} `xml:"package"`
}

// maxPrimary bounds a decompressed primary.xml: a mirror's is tens of MB.
const maxPrimary = 1 << 30

// ParsePrimary reads primary.xml, gzipped (as createrepo writes it) or not.
func ParsePrimary(data []byte) ([]Package, error) {
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("primary.xml.gz: %w", err)
		}
		if data, err = io.ReadAll(io.LimitReader(z, maxPrimary+1)); err != nil {
			return nil, fmt.Errorf("primary.xml.gz: %w", err)
		}
		if len(data) > maxPrimary {
			return nil, fmt.Errorf("primary.xml is larger than 1 GiB: refused")
		}
	}
	var x primaryXML
	if err := xml.Unmarshal(data, &x); err != nil {
		return nil, fmt.Errorf("cannot read primary.xml: %w", err)
	}
	if x.Count != len(x.Packages) {
		return nil, fmt.Errorf("primary.xml says %d packages but lists %d", x.Count, len(x.Packages))
	}
	out := make([]Package, len(x.Packages))
	for i, p := range x.Packages {
		if p.Name == "" || p.Location.Href == "" {
			return nil, fmt.Errorf("primary.xml: package %d has no name or location", i+1)
		}
		out[i] = Package{Name: p.Name, Arch: p.Arch, Epoch: p.Version.Epoch, Version: p.Version.Ver,
			Release: p.Version.Rel, Location: p.Location.Href, Size: p.Size.Package}
	}
	return out, nil
}
