package virsh

import (
	"os"
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := readFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}

// The seed's domain XML (testdata/seed-papeete.xml, copied from seed 001)
// has <membaloon>, which libvirt 1.0.3 dropped without a word.
func TestSeedDomainTypo(t *testing.T) {
	_, err := build(domainKind, starlark.String(mustRead(t, "testdata/seed-papeete.xml")))
	if err == nil || !strings.Contains(err.Error(), "domain.devices.membaloon") || !strings.Contains(err.Error(), `did you mean "memballoon"`) {
		t.Fatalf("got %v, want the membaloon path and memballoon suggested", err)
	}
	fixed := strings.ReplaceAll(mustRead(t, "testdata/seed-papeete.xml"), "membaloon", "memballoon")
	d, err := build(domainKind, starlark.String(fixed))
	if err != nil {
		t.Fatal(err)
	}
	kib, err := d.Attr("memory_kib")
	if err != nil || kib.String() != "976563" {
		t.Fatalf("memory_kib = %v, %v; want 976563 (1 GB = 10^9 bytes, rounded up to KiB)", kib, err)
	}
	t.Log(d.xml)
	t.Log(d.dict.String())
}
