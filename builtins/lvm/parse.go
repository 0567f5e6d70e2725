package lvm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The report fields vrun asks for; the simulator prints the same ones.
var (
	PVFields = []string{"pv_name", "vg_name", "pv_fmt", "pv_attr", "pv_size", "pv_free", "pv_uuid"}
	VGFields = []string{"vg_name", "pv_count", "lv_count", "vg_attr", "vg_size", "vg_free", "vg_extent_size", "vg_extent_count", "vg_free_count", "vg_uuid"}
	LVFields = []string{"lv_name", "vg_name", "lv_attr", "lv_size", "lv_path", "lv_dm_path", "lv_uuid"}
)

// PV is one row of pvs.
type PV struct {
	Name, VG, Fmt, Attr, UUID string
	Size, Free                int64
}

// VG is one row of vgs.
type VG struct {
	Name, Attr, UUID                               string
	PVCount, LVCount                               int64
	Size, Free, ExtentSize, ExtentCount, FreeCount int64
}

// LV is one row of lvs.
type LV struct {
	Name, VG, Attr, Path, DMPath, UUID string
	Size                               int64
}

// ParseReport reads the rows of one report kind ("pv", "vg", "lv") from
// `--reportformat json` (values are strings) or `json_std` (numbers). It
// skips notices printed before the JSON and ignores the "log" array newer
// LVM adds.
func ParseReport(out []byte, kind string) ([]map[string]string, error) {
	start := bytes.IndexByte(out, '{')
	if start < 0 {
		return nil, fmt.Errorf("no JSON report in output %q", firstLine(out))
	}
	var doc struct {
		Report []map[string][]map[string]any `json:"report"`
	}
	dec := json.NewDecoder(bytes.NewReader(out[start:]))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("cannot parse LVM JSON report: %w", err)
	}
	var rows []map[string]string
	for _, r := range doc.Report {
		for _, raw := range r[kind] {
			row := make(map[string]string, len(raw))
			for k, v := range raw {
				row[k] = valueString(v)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func valueString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = valueString(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// num parses a byte count or counter; "" (unset) is 0.
func num(row map[string]string, key string) (int64, error) {
	s := row[key]
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// --units b --nosuffix gives integers; anything else is a surprise worth naming.
		return 0, fmt.Errorf("field %s: got %q, want an integer (was --units b --nosuffix given?)", key, s)
	}
	return n, nil
}

// nums fills the targets from the named fields.
func nums(row map[string]string, pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		n, err := num(row, pairs[i].(string))
		if err != nil {
			return err
		}
		*pairs[i+1].(*int64) = n
	}
	return nil
}

// ParsePVs parses pvs output.
func ParsePVs(out []byte) ([]PV, error) {
	rows, err := ParseReport(out, "pv")
	var pvs []PV
	for _, r := range rows {
		p := PV{Name: r["pv_name"], VG: r["vg_name"], Fmt: r["pv_fmt"], Attr: r["pv_attr"], UUID: r["pv_uuid"]}
		if err := nums(r, "pv_size", &p.Size, "pv_free", &p.Free); err != nil {
			return nil, err
		}
		pvs = append(pvs, p)
	}
	return pvs, err
}

// ParseVGs parses vgs output.
func ParseVGs(out []byte) ([]VG, error) {
	rows, err := ParseReport(out, "vg")
	var vgs []VG
	for _, r := range rows {
		v := VG{Name: r["vg_name"], Attr: r["vg_attr"], UUID: r["vg_uuid"]}
		if err := nums(r, "pv_count", &v.PVCount, "lv_count", &v.LVCount, "vg_size", &v.Size, "vg_free", &v.Free,
			"vg_extent_size", &v.ExtentSize, "vg_extent_count", &v.ExtentCount, "vg_free_count", &v.FreeCount); err != nil {
			return nil, err
		}
		vgs = append(vgs, v)
	}
	return vgs, err
}

// ParseLVs parses lvs output.
func ParseLVs(out []byte) ([]LV, error) {
	rows, err := ParseReport(out, "lv")
	var lvs []LV
	for _, r := range rows {
		l := LV{Name: r["lv_name"], VG: r["vg_name"], Attr: r["lv_attr"], Path: r["lv_path"], DMPath: r["lv_dm_path"], UUID: r["lv_uuid"]}
		if err := nums(r, "lv_size", &l.Size); err != nil {
			return nil, err
		}
		lvs = append(lvs, l)
	}
	return lvs, err
}

// Problem picks the line of LVM's stderr that says what went wrong: the
// last one that is not a WARNING (activation and zeroing warnings are
// noise for the operator).
func Problem(stderr []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stderr)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "WARNING:") && !strings.HasPrefix(l, "Cannot process volume group") {
			return strings.ToLower(l[:1]) + l[1:]
		}
	}
	return ""
}

func firstLine(b []byte) string {
	l, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return l
}
