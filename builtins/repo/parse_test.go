package repo

import (
	"bytes"
	"compress/gzip"
	"os"
	"reflect"
	"testing"
)

// testdata/createrepo_c-0.17.3-*: createrepo_c 0.17.3 (Debian 12) over
// vrun-hello-1.0-1.noarch.rpm built with rpmbuild 4.18 on this machine.
func TestParseRecorded(t *testing.T) {
	md, err := os.ReadFile("testdata/createrepo_c-0.17.3-repomd.xml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseRepomd(md)
	if err != nil {
		t.Fatal(err)
	}
	if m.Revision != "1796003531" || len(m.Data) != 6 {
		t.Errorf("got revision %q and %d data", m.Revision, len(m.Data))
	}
	want := RepomdData{Location: "repodata/2496ea15e8f9cf28f97289cb1c847921c34e9e3c2bbbc1c76931ed0d32023026-primary.xml.gz",
		Checksum: "2496ea15e8f9cf28f97289cb1c847921c34e9e3c2bbbc1c76931ed0d32023026", Size: 546, OpenSize: 1042}
	if m.Data["primary"] != want {
		t.Errorf("primary: got %+v", m.Data["primary"])
	}
	gz, err := os.ReadFile("testdata/createrepo_c-0.17.3-primary.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := ParsePrimary(gz)
	if err != nil {
		t.Fatal(err)
	}
	wantPkgs := []Package{{Name: "vrun-hello", Arch: "noarch", Epoch: "0", Version: "1.0", Release: "1", Location: "RPMS/vrun-hello-1.0-1.noarch.rpm", Size: 6054}}
	if !reflect.DeepEqual(pkgs, wantPkgs) || pkgs[0].NEVRA() != "vrun-hello-1.0-1.noarch" {
		t.Errorf("got %+v", pkgs)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"", "<repomd/>", "<repomd><data type=\"primary\"/></repomd>",
		`<repomd><data type="primary"><location href="../../etc/shadow"/></data></repomd>`,
		`<repomd><data type="primary"><location href="/etc/shadow"/></data></repomd>`} {
		if _, err := ParseRepomd([]byte(in)); err == nil {
			t.Errorf("ParseRepomd(%q): no error", in)
		}
	}
	for _, in := range []string{"", "<metadata packages=\"2\"><package><name>a</name><location href=\"a.rpm\"/></package></metadata>",
		"<metadata packages=\"1\"><package><name></name></package></metadata>", "\x1f\x8bjunk"} {
		if _, err := ParsePrimary([]byte(in)); err == nil {
			t.Errorf("ParsePrimary(%q): no error", in)
		}
	}
}

func FuzzParseRepomd(f *testing.F) {
	md, _ := os.ReadFile("testdata/createrepo_c-0.17.3-repomd.xml")
	f.Add(md)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseRepomd(data)
		if err == nil && m.Data["primary"].Location == "" {
			t.Fatal("accepted a repomd without a primary location")
		}
	})
}

func FuzzParsePrimary(f *testing.F) {
	gz, _ := os.ReadFile("testdata/createrepo_c-0.17.3-primary.xml.gz")
	f.Add(gz)
	z, _ := gzip.NewReader(bytes.NewReader(gz))
	var plain bytes.Buffer
	_, _ = plain.ReadFrom(z)
	f.Add(plain.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := ParsePrimary(data)
		for _, p := range pkgs {
			if err == nil && (p.Name == "" || p.Location == "") {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}

func TestRenderINI(t *testing.T) {
	got, err := RenderINI([]Section{{Name: "main", Keys: [][2]string{{"reposdir", "/usr/local/etc/yum.repos.d"}}}, {Name: "extras", Keys: [][2]string{{"baseurl", "http://x/"}}}})
	if err != nil || got != "[main]\nreposdir=/usr/local/etc/yum.repos.d\n\n[extras]\nbaseurl=http://x/\n" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, s := range []Section{{Name: "a]b"}, {Name: "x", Keys: [][2]string{{"k", "v\n[evil]"}}}, {Name: "x", Keys: [][2]string{{"K y", "v"}}}, {Name: ""}} {
		if _, err := RenderINI([]Section{s}); err == nil {
			t.Errorf("RenderINI(%+v): no error", s)
		}
	}
}
