package virsh

import (
	"fmt"
	"strconv"
	"strings"
)

// parseNames reads `list --name`, `net-list --name`, `pool-list --name`:
// one name a line, a blank line at the end; pool-list pads names with
// spaces (it prints them through its table code).
func parseNames(out string) []string {
	names := []string{}
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimRight(l, " \r"); l != "" {
			names = append(names, l)
		}
	}
	return names
}

// Field is one "Key: value" line of dominfo, net-info, pool-info or
// vol-info, the key as virsh prints it.
type Field struct{ Key, Value string }

// parseFields reads virsh's info listings: "Key:" padded to a column,
// then the value (possibly empty: "Security DOI:   "). A line without a
// key continues the previous value (dominfo's "Messages:").
func parseFields(out string) ([]Field, error) {
	var fs []Field
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(fs) == 0 {
				return nil, fmt.Errorf("cannot read %q: a continuation line before any field", l)
			}
			fs[len(fs)-1].Value += "\n" + strings.TrimSpace(l)
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("cannot read %q: want \"Key: value\"", l)
		}
		fs = append(fs, Field{Key: k, Value: strings.TrimSpace(v)})
	}
	return fs, nil
}

// fieldKey is a field's key in a dict: "Max memory" -> "max_memory",
// "CPU(s)" -> "cpus", "OS Type" -> "os_type".
func fieldKey(k string) string {
	k = strings.ToLower(strings.ReplaceAll(k, "(s)", "s"))
	return strings.Join(strings.Fields(k), "_")
}

// typedField converts the values vrun knows the shape of; others stay
// text. What it cannot read is an error, not a guess.
func typedField(key, v string) (string, any, error) {
	switch key {
	case "id":
		if v == "-" {
			return key, nil, nil // not running
		}
		n, err := strconv.Atoi(v)
		return key, n, fieldErr(key, v, err)
	case "cpus":
		n, err := strconv.Atoi(v)
		return key, n, fieldErr(key, v, err)
	case "max_memory", "used_memory":
		num, ok := strings.CutSuffix(v, " KiB")
		n, err := strconv.ParseUint(num, 10, 64)
		if !ok {
			err = fmt.Errorf("no KiB unit")
		}
		return key + "_kib", n, fieldErr(key, v, err)
	case "capacity", "allocation", "available":
		// pool-info --bytes prints a bare number; vol-info --bytes "N bytes"
		n, err := strconv.ParseUint(strings.TrimSuffix(v, " bytes"), 10, 64)
		return key, n, fieldErr(key, v, err)
	case "persistent", "active", "managed_save":
		b, err := yesNo(v)
		return key, b, fieldErr(key, v, err)
	case "autostart":
		switch v {
		case "enable", "yes":
			return key, true, nil
		case "disable", "no":
			return key, false, nil
		}
		return key, nil, fieldErr(key, v, fmt.Errorf("want enable/disable or yes/no"))
	case "cpu_time":
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "s"), 64)
		return "cpu_time_s", f, fieldErr(key, v, err)
	}
	return key, v, nil
}

func yesNo(v string) (bool, error) {
	switch v {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, fmt.Errorf("want yes or no")
}

func fieldErr(key, v string, err error) error {
	if err != nil {
		return fmt.Errorf("cannot read %s %q: %v", key, v, err)
	}
	return nil
}

// parseInfo reads an info listing into a map of typed values.
func parseInfo(out string) (map[string]any, error) {
	fs, err := parseFields(out)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("no fields in %q", out)
	}
	m := make(map[string]any, len(fs))
	for _, f := range fs {
		k, v, err := typedField(fieldKey(f.Key), f.Value)
		if err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, nil
}

// Volume is one row of vol-list.
type Volume struct{ Name, Path string }

// parseVolList reads vol-list's table (it has no --name): " Name   Path",
// a rule, one row a volume. Columns are as wide as their longest cell, so
// the path starts at the header's "Path" column even when a name holds
// spaces.
func parseVolList(out string) ([]Volume, error) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "Name") || !strings.HasPrefix(lines[1], "---") {
		return nil, fmt.Errorf("cannot read vol-list output %q: want a Name/Path table", out)
	}
	col := strings.Index(lines[0], "Path")
	if col < 0 {
		return nil, fmt.Errorf("cannot read vol-list header %q: no Path column", lines[0])
	}
	vols := []Volume{}
	for _, l := range lines[2:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		rs := []rune(l)
		if len(rs) <= col || rs[col-1] != ' ' {
			return nil, fmt.Errorf("cannot read vol-list row %q: the path is not in the Path column", l)
		}
		name := strings.TrimSpace(string(rs[:col]))
		path := strings.TrimRight(string(rs[col:]), " ")
		if name == "" || path == "" {
			return nil, fmt.Errorf("cannot read vol-list row %q", l)
		}
		vols = append(vols, Volume{Name: name, Path: path})
	}
	return vols, nil
}

// explain picks virsh's own words out of a failure: its "error: " lines,
// joined ("Failed to start network x: Requested operation is not valid: ...").
func explain(stderr string) string {
	var msgs []string
	for _, l := range strings.Split(stderr, "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(l), "error: "); ok && m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, ": ")
}
