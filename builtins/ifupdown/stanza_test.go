package ifupdown_test

import (
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/ifupdown"
)

// Debian 12's installer-written file (one NIC on DHCP).
const debian = `# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug eth0
iface eth0 inet dhcp
`

var br0 = ifupdown.Stanza{Name: "br0", Family: "inet", Method: "dhcp", Auto: true, Options: []ifupdown.Option{
	{Key: "bridge_ports", Value: "eth0"}, {Key: "bridge_fd", Value: "0"}, {Key: "bridge_maxwait", Value: "0"}}}

func TestApply(t *testing.T) {
	eth0 := ifupdown.Stanza{Name: "eth0", Family: "inet", Method: "manual", Auto: true}
	got := ifupdown.Apply(ifupdown.Apply(debian, eth0), br0)
	want := `# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
auto eth0
iface eth0 inet manual

auto br0
iface br0 inet dhcp
	bridge_ports eth0
	bridge_fd 0
	bridge_maxwait 0
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if again := ifupdown.Apply(ifupdown.Apply(got, eth0), br0); again != got {
		t.Errorf("a second apply changed the file:\n%s", again)
	}
	// A changed stanza replaces the old one in place, options and all.
	br0b := br0
	br0b.Options = []ifupdown.Option{{Key: "bridge_ports", Value: "eth1"}}
	changed := ifupdown.Apply(got, br0b)
	if strings.Contains(changed, "bridge_fd") || strings.Count(changed, "iface br0") != 1 || !strings.Contains(changed, "\tbridge_ports eth1\n") {
		t.Errorf("replace:\n%s", changed)
	}
	// An "auto lo br0" line keeps lo.
	if got := ifupdown.Apply("auto lo br0\niface lo inet loopback\niface br0 inet manual\n", br0); !strings.HasPrefix(got, "auto lo\niface lo inet loopback\nauto br0\n") {
		t.Errorf("shared auto line:\n%s", got)
	}
	if got := ifupdown.Apply("", br0); got != br0.Text() {
		t.Errorf("empty file:\n%s", got)
	}
}

func FuzzApply(f *testing.F) {
	f.Add(debian)
	f.Add("auto br0\niface br0 inet static\n\taddress 10.0.0.1\n# comment\niface br0 inet6 auto\n")
	f.Fuzz(func(t *testing.T, text string) {
		once := ifupdown.Apply(text, br0)
		if twice := ifupdown.Apply(once, br0); twice != once {
			t.Errorf("not idempotent on %q:\nonce  %q\ntwice %q", text, once, twice)
		}
		if !strings.Contains(once, br0.Text()) {
			t.Errorf("stanza missing from %q", once)
		}
	})
}
