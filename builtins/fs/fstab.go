package fs

import (
	"fmt"
	"strings"
)

// FstabEntry is one line of /etc/fstab.
type FstabEntry struct {
	Device, Dir, Type string
	Options           []string
	Dump, Passno      int
}

// String renders the entry as an fstab line.
func (f FstabEntry) String() string {
	return fmt.Sprintf("%s %s %s %s %d %d", f.Device, f.Dir, f.Type, strings.Join(f.Options, ","), f.Dump, f.Passno)
}

// EnsureFstab makes content hold exactly one line for want.Dir. An existing
// line for that mount point is replaced in place; options it had that want
// lacks are kept (an operator's user_xattr survives a later call with
// ["defaults"]). It returns the new content, the line and whether anything
// changed.
func EnsureFstab(content string, want FstabEntry) (string, string, bool) {
	lines := strings.SplitAfter(content, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []string
	line, found, changed := "", false, false
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") || f[1] != want.Dir {
			out = append(out, ensureNewline(l))
			continue
		}
		if found { // a duplicate line for the same mount point: drop it
			changed = true
			continue
		}
		found = true
		e := want
		if len(f) >= 4 {
			e.Options = mergeOptions(want.Options, strings.Split(f[3], ","))
		}
		line = e.String()
		if !sameFields(f, e) {
			out = append(out, line+"\n")
			changed = true
		} else {
			out = append(out, ensureNewline(l))
		}
	}
	if !found {
		line = want.String()
		out = append(out, line+"\n")
		changed = true
	}
	return strings.Join(out, ""), line, changed
}

// mergeOptions returns want followed by the options of have it lacks.
func mergeOptions(want, have []string) []string {
	out := append([]string(nil), want...)
	seen := map[string]bool{}
	for _, o := range want {
		seen[o] = true
	}
	for _, o := range have {
		if o == "" || seen[o] {
			continue
		}
		seen[o] = true
		out = append(out, o)
	}
	return out
}

func sameFields(f []string, e FstabEntry) bool {
	want := strings.Fields(e.String())
	if len(f) != len(want) {
		return false
	}
	for i := range f {
		if f[i] != want[i] {
			return false
		}
	}
	return true
}

func ensureNewline(l string) string {
	if strings.HasSuffix(l, "\n") {
		return l
	}
	return l + "\n"
}
