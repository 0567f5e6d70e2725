// Package sshexec runs vrun's commands on remote hosts over SSH
// (golang.org/x/crypto/ssh): one connection per host, reused by every
// command as multiplexed sessions, with keepalives; ~/.ssh/config,
// ssh-agent, key files and known_hosts honoured as ssh(1) does.
package sshexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Executor runs commands on one host. It connects on first use and again
// after the connection was lost; a command cut off by a lost connection
// fails (its outcome is unknown) and is never retried.
type Executor struct {
	*link
	Become bool // every command through sudo -n
}

// link is one host's connection, shared by its executors (with and
// without become).
type link struct {
	Settings Settings
	dialer   *Dialer

	mu       sync.Mutex
	client   *ssh.Client
	dialing  chan struct{} // closed when the dial in progress ends
	dialErr  error
	dials    int           // connections made, for tests and traces
	sessions chan struct{} // bounds concurrent sessions below sshd's MaxSessions

	sftpMu     sync.Mutex
	sftpc      *sftp.Client // file.* transfers; holds one session of its own
	sftpOn     *ssh.Client  // the connection sftpc runs on
	sftpOpened int
}

// MaxSessions is how many commands run at once on one connection: sshd's
// default MaxSessions is 10, and the SFTP client holds one more.
const MaxSessions = 8

// killGrace is how long a cancelled command has to exit after SIGTERM
// before SIGKILL, and then before the session is closed regardless.
const killGrace = 2 * time.Second

// Name is the host's alias, for messages.
func (x *Executor) Name() string { return x.Settings.Alias }

// conn returns the live connection, dialling once for all concurrent
// callers.
func (x *link) conn(ctx context.Context) (*ssh.Client, error) {
	x.mu.Lock()
	if x.client != nil {
		c := x.client
		x.mu.Unlock()
		return c, nil
	}
	if x.dialing != nil {
		ch := x.dialing
		x.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		x.mu.Lock()
		c, err := x.client, x.dialErr
		x.mu.Unlock()
		if c == nil && err == nil {
			err = fmt.Errorf("ssh %s: connection lost", x.Settings.Alias)
		}
		return c, err
	}
	ch := make(chan struct{})
	x.dialing = ch
	x.mu.Unlock()
	c, err := x.dialer.Dial(ctx, x.Settings)
	x.mu.Lock()
	x.client, x.dialErr, x.dialing = c, err, nil
	if err == nil {
		x.dials++
	}
	x.mu.Unlock()
	close(ch)
	if err != nil {
		return nil, err
	}
	go x.keepalive(c)
	go func() {
		c.Wait()
		x.mu.Lock()
		if x.client == c {
			x.client = nil
		}
		x.mu.Unlock()
	}()
	return c, nil
}

// keepalive sends OpenSSH keepalives; AliveCountMax unanswered ones close
// the connection, so a host that vanished fails its commands instead of
// hanging them.
func (x *link) keepalive(c *ssh.Client) {
	iv := x.Settings.AliveInterval
	if iv <= 0 {
		return
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	closed := make(chan struct{})
	go func() { c.Wait(); close(closed) }()
	missed := 0
	for {
		select {
		case <-closed:
			return
		case <-t.C:
		}
		answered := make(chan error, 1)
		go func() { _, _, err := c.SendRequest("keepalive@openssh.com", true, nil); answered <- err }()
		select {
		case err := <-answered:
			if err != nil {
				c.Close()
				return
			}
			missed = 0
		case <-t.C:
			if missed++; missed >= x.Settings.AliveCountMax {
				c.Close()
				return
			}
		case <-closed:
			return
		}
	}
}

// Dials counts the connections made to the host so far.
func (x *link) Dials() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.dials
}

// Close drops the connection; a later command reconnects.
func (x *link) Close() error {
	x.mu.Lock()
	c := x.client
	x.client = nil
	x.mu.Unlock()
	x.sftpMu.Lock()
	if x.sftpc != nil {
		x.sftpc.Close()
		x.sftpc = nil
	}
	x.sftpMu.Unlock()
	if c != nil {
		return c.Close()
	}
	return nil
}

// Run runs c as one session on the host's connection.
func (x *Executor) Run(ctx context.Context, c exec.Cmd) (exec.Result, error) {
	res := exec.Result{Argv: c.Argv}
	cmdline, err := RemoteCommand(c, x.Become)
	if err != nil {
		return res, err
	}
	parent := ctx
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	client, err := x.conn(ctx)
	if err != nil {
		return res, err
	}
	select {
	case x.sessions <- struct{}{}:
		defer func() { <-x.sessions }()
	case <-ctx.Done():
		return res, ctx.Err()
	}
	sess, err := client.NewSession()
	if err != nil {
		return res, fmt.Errorf("ssh %s: cannot open a session: %v", x.Settings.Alias, err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	ctx, overflow := context.WithCancelCause(ctx)
	defer overflow(nil)
	sess.Stdout = exec.Capped(&stdout, c.MaxOutput, overflow)
	sess.Stderr = exec.Capped(&stderr, c.MaxOutput, overflow)
	if c.Stdin != nil {
		sess.Stdin = bytes.NewReader(c.Stdin) // streamed by the session, then EOF
	}
	start := time.Now()
	if err := sess.Start(cmdline); err != nil {
		return res, fmt.Errorf("ssh %s: cannot start %s: %v", x.Settings.Alias, exec.QuoteArgv(c.Argv), err)
	}
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		if err = stop(sess, done); err == errStuck {
			return res, fmt.Errorf("ssh %s: %s: %w", x.Settings.Alias, exec.QuoteArgv(c.Argv), err)
		}
	}
	res.Duration = time.Since(start)
	res.Stdout, res.Stderr = stdout.Bytes(), stderr.Bytes()
	var ole *exec.OutputLimitError
	if errors.As(context.Cause(ctx), &ole) {
		ole.Argv = c.Argv
		return res, ole
	}
	if ctx.Err() != nil {
		if c.Timeout > 0 && parent.Err() == nil {
			res.TimedOut, res.Code = true, -1
			return res, nil
		}
		return res, ctx.Err()
	}
	return x.result(res, err)
}

// stop ends a cancelled command: SIGTERM to its process group (sshd
// signals the session leader's group), SIGKILL if it lingers, then the
// session is closed. It returns the session's end, or errStuck when the
// server did not end it (an sshd without signal support).
func stop(sess *ssh.Session, done <-chan error) error {
	for _, sig := range []ssh.Signal{ssh.SIGTERM, ssh.SIGKILL} {
		if sess.Signal(sig) != nil {
			break
		}
		select {
		case err := <-done:
			return err
		case <-time.After(killGrace):
		}
	}
	sess.Close()
	select {
	case err := <-done:
		return err
	case <-time.After(killGrace):
		return errStuck
	}
}

var errStuck = errors.New("the remote command did not stop on SIGTERM or SIGKILL (does the server accept signals?); it may still run there")

// result maps the session's end to a result: exit codes and signals are
// results; a lost connection is an error.
func (x *Executor) result(res exec.Result, err error) (exec.Result, error) {
	var ee *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.Code = ee.ExitStatus()
		if ee.Signal() != "" {
			res.Code = 128 + signalNumber(ee.Signal())
		}
	case errors.As(err, &missing), errors.Is(err, io.EOF):
		return res, fmt.Errorf("ssh %s: connection lost while %s was running: its outcome on the host is unknown", x.Settings.Alias, exec.QuoteArgv(res.Argv))
	default:
		return res, fmt.Errorf("ssh %s: %s: %v", x.Settings.Alias, exec.QuoteArgv(res.Argv), err)
	}
	if x.Become && res.Code == 1 && bytes.HasPrefix(res.Stderr, []byte("sudo: ")) && bytes.Contains(res.Stderr, []byte("password is required")) {
		return res, fmt.Errorf("ssh %s: become: sudo needs a password for %s there; vrun runs sudo -n and cannot type one: allow it with NOPASSWD in sudoers, or log in as root",
			x.Settings.Alias, x.Settings.User)
	}
	return res, nil
}

func signalNumber(name string) int {
	n := map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "ABRT": 6, "FPE": 8, "KILL": 9, "SEGV": 11, "PIPE": 13, "ALRM": 14, "TERM": 15, "USR1": 10, "USR2": 12}[name]
	if n == 0 {
		n = 1
	}
	return n
}
