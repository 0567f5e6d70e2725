package sshexec

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// signers gathers what can log in as s.User: the agent's keys (unless
// IdentitiesOnly) then the identity files that exist. Keys with a
// passphrase are skipped with a note (vrun cannot ask for it: load them
// in ssh-agent). tried names every source, for the error when all fail.
func signers(s Settings, agentSock string) (out []ssh.Signer, tried []string, closeFn func(), err error) {
	closeFn = func() {}
	if agentSock != "" && !s.IdentitiesOnly {
		if conn, err := net.Dial("unix", agentSock); err == nil {
			closeFn = func() { conn.Close() }
			if ss, err := agent.NewClient(conn).Signers(); err == nil && len(ss) > 0 {
				out = append(out, ss...)
				tried = append(tried, fmt.Sprintf("%d key(s) from ssh-agent", len(ss)))
			}
		}
	}
	for _, f := range s.IdentityFiles {
		data, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, closeFn, fmt.Errorf("identity file %s: %v", f, err)
		}
		sg, err := ssh.ParsePrivateKey(data)
		var pm *ssh.PassphraseMissingError
		switch {
		case errors.As(err, &pm):
			tried = append(tried, f+" (skipped: it has a passphrase; load it with ssh-add)")
			continue
		case err != nil:
			return nil, nil, closeFn, fmt.Errorf("identity file %s: %v", f, err)
		}
		out = append(out, sg)
		tried = append(tried, f)
	}
	return out, tried, closeFn, nil
}
