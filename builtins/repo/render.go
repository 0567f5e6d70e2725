package repo

import (
	"fmt"
	"regexp"
	"strings"
)

// yum.conf and .repo files are INI files yum (and dnf) read with Python's
// ConfigParser: "key=value" lines under "[section]".

var (
	repoIDRe = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`) // yum's allowed repo id characters
	keyRe    = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
)

// Section is one [name] with its keys in order.
type Section struct {
	Name string
	Keys [][2]string
}

// RenderINI writes sections; a value holding a newline or a key that is not
// a plain lowercase word is an error (it would start another key or section).
func RenderINI(sections []Section) (string, error) {
	var b strings.Builder
	for i, s := range sections {
		if !repoIDRe.MatchString(s.Name) {
			return "", fmt.Errorf("section %q: want letters, digits and _.:- only", s.Name)
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("[" + s.Name + "]\n")
		for _, kv := range s.Keys {
			if !keyRe.MatchString(kv[0]) {
				return "", fmt.Errorf("[%s]: key %q: want a lowercase word such as baseurl or gpgcheck", s.Name, kv[0])
			}
			if strings.ContainsAny(kv[1], "\n\r\x00") {
				return "", fmt.Errorf("[%s] %s: a value cannot hold a newline or NUL", s.Name, kv[0])
			}
			b.WriteString(kv[0] + "=" + kv[1] + "\n")
		}
	}
	return b.String(), nil
}

// CheckRepoSection refuses a repository yum could not use: no source of
// packages, or two.
func CheckRepoSection(s Section) error {
	n := 0
	for _, kv := range s.Keys {
		switch kv[0] {
		case "baseurl", "mirrorlist", "metalink":
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("[%s]: want exactly one of baseurl, mirrorlist or metalink, got %d", s.Name, n)
	}
	return nil
}
