package sshexec

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// HostKeyError is a host key vrun refused: unknown (Changed false) or
// different from the one recorded (Changed true).
type HostKeyError struct {
	Host        string // alias
	Addr        string // host:port as known_hosts names it
	Fingerprint string // SHA256:...
	Line        string // the known_hosts line that would accept the key
	File        string // where that line goes
	Changed     bool
	Recorded    string // file:line of the recorded key (Changed)
}

func (e *HostKeyError) Error() string {
	if e.Changed {
		return fmt.Sprintf("host key of %s (%s) has CHANGED: it now presents %s, %s records another. "+
			"Someone may be intercepting the connection, or the host was reinstalled; "+
			"check the fingerprint out of band, then remove the old line (ssh-keygen -R %s -f %s)",
			e.Host, e.Addr, e.Fingerprint, e.Recorded, knownhosts.Normalize(e.Addr), e.File)
	}
	return fmt.Sprintf("host key of %s (%s) is unknown: %s. Check it out of band, then add this line to %s:\n  %s\n"+
		"or run with --accept-new-host-keys to record new keys",
		e.Host, e.Addr, e.Fingerprint, e.File, e.Line)
}

// hostKeys checks server keys against known_hosts files. One per pool:
// accepted keys are appended under its lock.
type hostKeys struct {
	mu        sync.Mutex
	acceptNew bool // --accept-new-host-keys
}

// callback returns the check for one host. The files are re-read for
// every connection so a key accepted by a sibling is seen.
func (k *hostKeys) callback(s Settings) (ssh.HostKeyCallback, []string, error) {
	files := existing(s.KnownHostsFiles)
	var db ssh.HostKeyCallback
	if len(files) > 0 {
		var err error
		if db, err = knownhosts.New(files...); err != nil {
			return nil, nil, fmt.Errorf("known_hosts: %v", err)
		}
	}
	addr := net.JoinHostPort(s.HostName, fmt.Sprint(s.Port))
	algos := knownAlgorithms(db, addr)
	cb := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		k.mu.Lock()
		defer k.mu.Unlock()
		e := &HostKeyError{Host: s.Alias, Addr: addr, Fingerprint: ssh.FingerprintSHA256(key), File: s.KnownHostsFiles[0],
			Line: knownhosts.Line([]string{knownhosts.Normalize(addr)}, key)}
		if db != nil {
			err := db(addr, remote, key)
			var ke *knownhosts.KeyError
			var re *knownhosts.RevokedError
			switch {
			case err == nil:
				return nil
			case errors.As(err, &re):
				return fmt.Errorf("host key of %s (%s) is revoked in %s:%d", s.Alias, addr, re.Revoked.Filename, re.Revoked.Line)
			case !errors.As(err, &ke):
				return err
			case len(ke.Want) > 0:
				e.Changed, e.Recorded = true, fmt.Sprintf("%s:%d", ke.Want[0].Filename, ke.Want[0].Line)
				return e
			}
		}
		if !k.acceptNew && s.StrictHostKeyChecking != "accept-new" && s.StrictHostKeyChecking != "no" && s.StrictHostKeyChecking != "off" {
			return e
		}
		return appendLine(e.File, e.Line)
	}
	return cb, algos, nil
}

// knownAlgorithms lists the key types recorded for addr, so the server is
// asked for the key we know rather than another type of key that would
// look like a changed one.
func knownAlgorithms(db ssh.HostKeyCallback, addr string) []string {
	if db == nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if err := db(addr, &net.TCPAddr{IP: net.IPv4zero}, probeKey{}); !errors.As(err, &ke) {
		return nil
	}
	set := map[string]bool{}
	for _, w := range ke.Want {
		switch t := w.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			set[ssh.KeyAlgoRSASHA512], set[ssh.KeyAlgoRSASHA256], set[t] = true, true, true
		default:
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// probeKey matches no recorded key, so the callback lists the ones it has.
type probeKey struct{}

func (probeKey) Type() string                        { return "vrun-probe" }
func (probeKey) Marshal() []byte                     { return []byte("vrun-probe") }
func (probeKey) Verify([]byte, *ssh.Signature) error { return errors.New("probe") }

func existing(files []string) []string {
	var out []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			out = append(out, f)
		}
	}
	return out
}

func appendLine(file, line string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("recording host key: %v", err)
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("recording host key: %v", err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("recording host key in %s: %v", file, err)
	}
	return f.Close()
}
