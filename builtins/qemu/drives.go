package qemu

import (
	"fmt"
	"sort"

	"go.starlark.net/starlark"
)

// unpackDrives reads drives given as a file name or URI ("disk.qcow2",
// "sheepdog:papeete") or a dict {file, format, if, cache, media, index,
// readonly}.
func unpackDrives(l *starlark.List) ([]Drive, error) {
	if l == nil {
		return nil, nil
	}
	drives := make([]Drive, 0, l.Len())
	for i := 0; i < l.Len(); i++ {
		d := Drive{Index: -1}
		switch v := l.Index(i).(type) {
		case starlark.String:
			d.File = string(v)
		case *starlark.Dict:
			if err := driveFromDict(v, &d); err != nil {
				return nil, fmt.Errorf("drives[%d]: %v", i, err)
			}
		default:
			return nil, fmt.Errorf("drives[%d]: got %s, want file name or dict", i, v.Type())
		}
		drives = append(drives, d)
	}
	return drives, nil
}

func driveFromDict(dict *starlark.Dict, d *Drive) error {
	strs := map[string]*string{"file": &d.File, "format": &d.Format, "if": &d.Interface, "interface": &d.Interface,
		"cache": &d.Cache, "media": &d.Media}
	for _, kv := range dict.Items() {
		k, ok := starlark.AsString(kv[0])
		if !ok {
			return fmt.Errorf("got %s key, want string", kv[0].Type())
		}
		switch p := strs[k]; {
		case p != nil:
			s, ok := starlark.AsString(kv[1])
			if !ok {
				return fmt.Errorf("%s: got %s, want string", k, kv[1].Type())
			}
			*p = s
		case k == "index":
			if err := starlark.AsInt(kv[1], &d.Index); err != nil || d.Index < 0 {
				return fmt.Errorf("index: got %s, want int >= 0", kv[1].String())
			}
		case k == "readonly":
			b, ok := kv[1].(starlark.Bool)
			if !ok {
				return fmt.Errorf("readonly: got %s, want bool", kv[1].Type())
			}
			d.ReadOnly = bool(b)
		default:
			keys := []string{"index", "readonly"}
			for k := range strs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return fmt.Errorf("unknown key %q (want %v)", k, keys)
		}
	}
	return nil
}

func optString(v starlark.Value, name string) (string, error) {
	if v == starlark.None {
		return "", nil
	}
	s, ok := starlark.AsString(v)
	if !ok {
		return "", fmt.Errorf("%s: got %s, want string", name, v.Type())
	}
	return s, nil
}
