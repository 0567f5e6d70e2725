// Package ifupdown is vrun's `ifupdown` module: Debian's
// /etc/network/interfaces (interfaces(5)) stanzas rendered from values and
// written idempotently, such as seed 003's bridge with bridge_ports,
// bridge_fd and bridge_maxwait.
package ifupdown

import (
	"fmt"
	"regexp"
	"strings"
)

// Stanza is one interface's configuration.
type Stanza struct {
	Name    string
	Family  string // inet, inet6
	Method  string // static, dhcp, manual, loopback
	Auto    bool   // an "auto NAME" line: brought up at boot
	Options []Option
}

// Option is one indented "key value" line.
type Option struct{ Key, Value string }

var (
	ifaceName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}$`)
	optKey    = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
)

// Check refuses a stanza ifup would misread.
func (s Stanza) Check() error {
	if !ifaceName.MatchString(s.Name) {
		return fmt.Errorf("got interface name %q, want a Linux interface name (at most 15 characters, no spaces or '/')", s.Name)
	}
	switch s.Family {
	case "inet", "inet6", "ipx", "can":
	default:
		return fmt.Errorf("family: got %q, want inet or inet6", s.Family)
	}
	if !optKey.MatchString(s.Method) {
		return fmt.Errorf("method: got %q, want static, dhcp, manual or loopback", s.Method)
	}
	for _, o := range s.Options {
		if !optKey.MatchString(o.Key) || o.Key == "iface" || o.Key == "auto" || o.Key == "mapping" || strings.HasPrefix(o.Key, "allow-") || o.Key == "source" {
			return fmt.Errorf("option %q: want an option name such as address or bridge_ports", o.Key)
		}
		if o.Value == "" || strings.ContainsAny(o.Value, "\n\r\x00") {
			return fmt.Errorf("option %s: got %q, want a value on one line", o.Key, o.Value)
		}
	}
	return nil
}

// Text renders the stanza as interfaces(5) lines.
func (s Stanza) Text() string {
	var b strings.Builder
	if s.Auto {
		fmt.Fprintf(&b, "auto %s\n", s.Name)
	}
	fmt.Fprintf(&b, "iface %s %s %s\n", s.Name, s.Family, s.Method)
	for _, o := range s.Options {
		fmt.Fprintf(&b, "\t%s %s\n", o.Key, o.Value)
	}
	return b.String()
}

// Apply puts s into the file's text: it replaces the interface's existing
// stanza (its iface block and its auto/allow-hotplug line, wherever they
// are) at the place of the iface line, or appends it after a blank line.
// Other stanzas, comments and blank lines stay as they are.
func Apply(text string, s Stanza) string {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []string
	placed, inBlock := false, false
	for _, l := range lines {
		f := strings.Fields(l)
		head := ""
		if len(f) > 0 {
			head = f[0]
		}
		stanzaStart := head == "iface" || head == "auto" || head == "mapping" || head == "source" || head == "source-directory" || strings.HasPrefix(head, "allow-")
		if stanzaStart {
			inBlock = false
		}
		switch {
		case head == "iface" && len(f) >= 2 && f[1] == s.Name && (len(f) < 3 || f[2] == s.Family):
			inBlock = true
			if !placed {
				out = append(out, s.Text())
				placed = true
			}
			continue
		case (head == "auto" || head == "allow-auto" || head == "allow-hotplug") && contains(f[1:], s.Name):
			rest := without(f[1:], s.Name)
			if len(rest) > 0 {
				out = append(out, head+" "+strings.Join(rest, " ")+"\n")
			}
			continue
		case inBlock && !stanzaStart && strings.TrimSpace(l) != "" && !strings.HasPrefix(strings.TrimSpace(l), "#"):
			continue // an option of the replaced stanza
		}
		out = append(out, l)
	}
	if len(out) > 0 && !strings.HasSuffix(out[len(out)-1], "\n") {
		out[len(out)-1] += "\n"
	}
	if !placed {
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
			out = append(out, "\n")
		}
		out = append(out, s.Text())
	}
	return strings.Join(out, "")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func without(xs []string, x string) []string {
	var out []string
	for _, y := range xs {
		if y != x {
			out = append(out, y)
		}
	}
	return out
}
