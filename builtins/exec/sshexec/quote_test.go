package sshexec

import (
	"bytes"
	osexec "os/exec"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// FuzzRemoteCommand: whatever the words, /bin/sh given RemoteCommand's
// string runs exactly that argv (checked with printf '%s\0').
func FuzzRemoteCommand(f *testing.F) {
	for _, s := range []string{"plain", "it's", "'", "''", `\`, "$(id)", "`id`", "a\nb", "*", "-n", "", "$", "\"", "!", "~", "a b\tc", "é", "%s"} {
		f.Add(s, "v"+s)
	}
	f.Fuzz(func(t *testing.T, word, val string) {
		c := exec.Cmd{Argv: []string{"printf", `%s\0`, word, "--", val}, Env: []string{"X=" + val}}
		s, err := RemoteCommand(c, false)
		if strings.ContainsRune(word+val, 0) {
			if err == nil {
				t.Fatal("a NUL byte was accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := osexec.Command("/bin/sh", "-c", s).Output()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := word + "\x00--\x00" + val + "\x00"; !bytes.Equal(out, []byte(want)) {
			t.Fatalf("%q printed %q, want %q", s, out, want)
		}
	})
}

func TestRemoteCommandRefuses(t *testing.T) {
	for _, c := range []struct {
		cmd    exec.Cmd
		become bool
		want   string
	}{
		{exec.Cmd{}, false, "empty argv"},
		{exec.Cmd{Argv: []string{"a\x00b"}}, false, "NUL byte"},
		{exec.Cmd{Argv: []string{"true"}, Dir: "/tmp\x00x"}, false, "NUL byte"},
		{exec.Cmd{Argv: []string{"true"}, Env: []string{"A-B=1"}}, false, "environment variable name"},
		{exec.Cmd{Argv: []string{"true"}, Env: []string{"$(id)=1"}}, false, "environment variable name"},
		{exec.Cmd{Argv: []string{"true"}, Env: []string{"NOEQUALS"}}, false, "want NAME=VALUE"},
		{exec.Cmd{Argv: []string{"true"}, Env: []string{"1A=1"}}, false, "environment variable name"},
		{exec.Cmd{Argv: []string{"A=b"}}, true, "ambiguous to env"},
	} {
		if _, err := RemoteCommand(c.cmd, c.become); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.cmd.Argv, err, c.want)
		}
	}
	got, _ := RemoteCommand(exec.Cmd{Argv: []string{"lvs", "-o", "a b"}, Dir: "/x", Env: []string{"K=v"}}, true)
	if want := `cd -- '/x' || exit 127; exec 'sudo' '-n' '--' 'env' 'LC_ALL=C' 'K=v' 'lvs' '-o' 'a b'`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
