package sshexec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// RemoteCommand is the one place an argv becomes the command string sshd
// hands to the login shell (`$SHELL -c STRING`). Every word is single-quoted
// (a ' becomes '\” ), so no word is ever expanded, split or globbed, and the
// login shell must be a POSIX one (sh, dash, bash, ksh, zsh): the same
// assumption Ansible and pyinfra make.
//
// The command is `[cd DIR || exit 127;] export LC_ALL=C [K=V...]; exec ARGV`:
// exec replaces the shell, so the remote pid is the command's and sshd's
// signal (killpg of the session leader) reaches it and its children; with
// become, ARGV is `sudo -n -- env LC_ALL=C K=V ARGV`, since sudo resets the
// environment.
func RemoteCommand(c exec.Cmd, become bool) (string, error) {
	if len(c.Argv) == 0 {
		return "", errors.New("empty argv")
	}
	for _, s := range append(append([]string{c.Dir}, c.Argv...), c.Env...) {
		if strings.IndexByte(s, 0) >= 0 {
			return "", fmt.Errorf("cannot run %s: a NUL byte cannot be passed to a command", exec.QuoteArgv(c.Argv))
		}
	}
	env := append([]string{"LC_ALL=C"}, c.Env...)
	for _, kv := range env {
		if err := checkEnv(kv); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	if c.Dir != "" {
		b.WriteString("cd -- " + shQuote(c.Dir) + " || exit 127; ")
	}
	argv := c.Argv
	if become {
		if strings.Contains(argv[0], "=") {
			// env(1) would take it for an assignment.
			return "", fmt.Errorf("cannot run %s with become: a program name containing '=' is ambiguous to env(1)", exec.QuoteArgv(argv))
		}
		argv = append(append([]string{"sudo", "-n", "--", "env"}, env...), argv...)
	} else {
		b.WriteString("export")
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			b.WriteString(" " + k + "=" + shQuote(v))
		}
		b.WriteString("; ")
	}
	b.WriteString("exec")
	for _, a := range argv {
		b.WriteString(" " + shQuote(a))
	}
	return b.String(), nil
}

// checkEnv refuses what is not NAME=VALUE with a shell-safe NAME.
func checkEnv(kv string) error {
	k, _, ok := strings.Cut(kv, "=")
	if !ok || k == "" {
		return fmt.Errorf("environment entry %q: want NAME=VALUE", kv)
	}
	for i, r := range k {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return fmt.Errorf("environment variable name %q: want letters, digits and _, not starting with a digit", k)
		}
	}
	return nil
}

// shQuote single-quotes s for a POSIX shell; nothing inside single quotes
// is special except the quote itself.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
