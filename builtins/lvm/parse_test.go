package lvm

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/lvm/lvmsim"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lvs.json, vgs.json, pvs.json and lvs-missing.json were captured from LVM
// 2.03.16 (Debian 12) in metadata-only mode. lvs-std-log.json is written by
// hand in the json_std shape of LVM ≥ 2.03.17 with the "log" array of
// ≥ 2.03.26 (lvmreport(7)); lvs-notice.json has a notice before the JSON.
func TestParseLVs(t *testing.T) {
	want := LV{Name: "lv1", VG: "vgx", Attr: "-wi-XX----", Size: 62914560, Path: "/dev/vgx/lv1", DMPath: "/dev/mapper/vgx-lv1", UUID: "3PgrKX-DAH0-v929-qgQK-jT2v-pVrz-HVBgsH"}
	for _, f := range []string{"lvs.json", "lvs-notice.json"} {
		got, err := ParseLVs(readTestdata(t, f))
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("%s: got %+v, %v; want [%+v]", f, got, err, want)
		}
	}
	got, err := ParseLVs(readTestdata(t, "lvs-std-log.json"))
	if err != nil || len(got) != 1 || got[0].Size != 16718495744 || got[0].Name != "lv_root" {
		t.Errorf("json_std with log: got %+v, %v", got, err)
	}
	got, err = ParseLVs(readTestdata(t, "lvs-missing.json"))
	if err != nil || len(got) != 0 {
		t.Errorf("empty report: got %+v, %v", got, err)
	}
}

func TestParseVGsPVs(t *testing.T) {
	vgs, err := ParseVGs(readTestdata(t, "vgs.json"))
	wantVG := VG{Name: "vgx", Attr: "wz--n-", UUID: "rxAbWB-Bqsm-0qqa-5PTM-jbuw-yo0U-9pmRMS", PVCount: 1, LVCount: 1,
		Size: 205520896, Free: 142606336, ExtentSize: 4194304, ExtentCount: 49, FreeCount: 34}
	if err != nil || len(vgs) != 1 || vgs[0] != wantVG {
		t.Errorf("vgs: got %+v, %v; want %+v", vgs, err, wantVG)
	}
	pvs, err := ParsePVs(readTestdata(t, "pvs.json"))
	wantPV := PV{Name: "/dev/loop0", VG: "vgx", Fmt: "lvm2", Attr: "a--", UUID: "gvVYUa-ACA6-whFz-jexQ-rjD8-WwKO-kdvfzc", Size: 205520896, Free: 142606336}
	if err != nil || len(pvs) != 1 || pvs[0] != wantPV {
		t.Errorf("pvs: got %+v, %v; want %+v", pvs, err, wantPV)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "no json here", `{"report": [`, `{"report":[{"lv":[{"lv_size":"4.00m"}]}]}`} {
		if _, err := ParseLVs([]byte(in)); err == nil {
			t.Errorf("ParseLVs(%q): no error", in)
		}
	}
}

func TestProblem(t *testing.T) {
	stderr := "  WARNING: Activation disabled. No device-mapper interaction will be attempted.\n  Volume group \"nosuchvg\" not found\n  Cannot process volume group nosuchvg\n"
	if got, want := Problem([]byte(stderr)), `volume group "nosuchvg" not found`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLVRef(t *testing.T) {
	for in, want := range map[string]string{
		"vg/lv": "vg/lv", "/dev/vg/lv": "vg/lv", "/dev/mapper/VolGroup-lv_root": "VolGroup/lv_root",
		"/dev/mapper/my--vg-my--lv": "my-vg/my-lv",
	} {
		if got, err := LVRef(in); got != want || err != nil {
			t.Errorf("LVRef(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"lv", "/dev/mapper/novg", "a/b/c", "/dev/vg/", ""} {
		if _, err := LVRef(bad); err == nil {
			t.Errorf("LVRef(%q): no error", bad)
		}
	}
}

// The simulator's reports parse back to what it holds.
func TestSimReportRoundTrip(t *testing.T) {
	h := simHost(lvmsim.DefaultWorld())
	g := mustRun(t, h, `lvs = lvm.lvs()`)
	if !strings.Contains(g["lvs"].String(), `"VolGroup/lv_root"`) {
		t.Errorf("lvs: %s", g["lvs"])
	}
	if !reflect.DeepEqual(LVFields, []string{"lv_name", "vg_name", "lv_attr", "lv_size", "lv_path", "lv_dm_path", "lv_uuid"}) {
		t.Errorf("LVFields changed: update the simulator and the testdata")
	}
}

func FuzzParseReport(f *testing.F) {
	for _, name := range []string{"lvs.json", "vgs.json", "pvs.json", "lvs-std-log.json", "lvs-notice.json", "lvs-missing.json"} {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseLVs(data)
		_, _ = ParseVGs(data)
		_, _ = ParsePVs(data)
		_ = Problem(data)
	})
}

func FuzzLVRef(f *testing.F) {
	for _, s := range []string{"vg/lv", "/dev/mapper/a--b-c", "/dev/mapper/-", "/dev/mapper/a-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ref, err := LVRef(s); err == nil && !strings.Contains(ref, "/") {
			t.Errorf("LVRef(%q) = %q without a slash", s, ref)
		}
	})
}
