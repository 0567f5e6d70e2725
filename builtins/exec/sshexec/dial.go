package sshexec

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/crypto/ssh"
)

// Dialer opens SSH connections for a pool: config, host keys, agent.
type Dialer struct {
	Config    *Config
	AgentSock string // $SSH_AUTH_SOCK; "" for none
	keys      *hostKeys
}

// maxJumps bounds ProxyJump chains (a config whose jump hosts name each
// other would otherwise recurse forever).
const maxJumps = 8

// Dial connects and authenticates to s, through its ProxyJump hosts.
func (d *Dialer) Dial(ctx context.Context, s Settings) (*ssh.Client, error) {
	return d.dial(ctx, s, 0)
}

func (d *Dialer) dial(ctx context.Context, s Settings, depth int) (*ssh.Client, error) {
	addr := net.JoinHostPort(s.HostName, strconv.Itoa(s.Port))
	var jump *ssh.Client
	var conn net.Conn
	var err error
	ctx, cancel := context.WithTimeout(ctx, s.ConnectTimeout)
	defer cancel()
	if pj := s.ProxyJump; pj != "" && !strings.EqualFold(pj, "none") {
		if depth >= maxJumps {
			return nil, fmt.Errorf("ProxyJump chain longer than %d hops at %s (a loop in ssh config?)", maxJumps, s.Alias)
		}
		hop, _, _ := strings.Cut(pj, ",") // the first jump; the rest are its own
		js, err := d.jumpSettings(hop, pj)
		if err != nil {
			return nil, err
		}
		if jump, err = d.dial(ctx, js, depth+1); err != nil {
			return nil, fmt.Errorf("via ProxyJump %s: %w", hop, err)
		}
		conn, err = jump.DialContext(ctx, "tcp", addr)
		if err != nil {
			jump.Close()
			return nil, fmt.Errorf("ssh %s (%s) via %s: %v", s.Alias, addr, hop, err)
		}
	} else {
		var nd net.Dialer
		if conn, err = nd.DialContext(ctx, "tcp", addr); err != nil {
			return nil, dialError(s, addr, err)
		}
	}
	c, err := d.handshake(ctx, conn, s, addr)
	if err != nil {
		conn.Close()
		if jump != nil {
			jump.Close()
		}
		return nil, err
	}
	if jump != nil {
		go func() { c.Wait(); jump.Close() }()
	}
	return c, nil
}

// jumpSettings resolves the first hop of "user@host:port,rest": its own
// config entry, with the remaining hops as its ProxyJump.
func (d *Dialer) jumpSettings(hop, all string) (Settings, error) {
	user, hostport := "", hop
	if i := strings.LastIndex(hop, "@"); i >= 0 {
		user, hostport = hop[:i], hop[i+1:]
	}
	host, port := hostport, 0
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Settings{}, fmt.Errorf("ProxyJump %q: bad port %q", hop, p)
		}
		host, port = h, n
	}
	if host == "" || strings.HasPrefix(host, "-") {
		return Settings{}, fmt.Errorf("ProxyJump %q: want [user@]host[:port]", hop)
	}
	js, err := d.Config.Resolve(host, user, port)
	if err != nil {
		return js, err
	}
	if _, rest, ok := strings.Cut(all, ","); ok {
		js.ProxyJump = rest
	}
	return js, nil
}

// handshake runs the SSH handshake on conn, bounded by ctx.
func (d *Dialer) handshake(ctx context.Context, conn net.Conn, s Settings, addr string) (*ssh.Client, error) {
	hk, algos, err := d.keys.callback(s)
	if err != nil {
		return nil, err
	}
	keys, tried, closeAgent, err := signers(s, d.AgentSock)
	defer closeAgent()
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("ssh %s: no key to log in with (no ssh-agent keys, none of %s exists)", s.Alias, strings.Join(s.IdentityFiles, ", "))
	}
	cfg := &ssh.ClientConfig{User: s.User, Auth: []ssh.AuthMethod{ssh.PublicKeys(keys...)},
		HostKeyCallback: hk, HostKeyAlgorithms: algos, Timeout: s.ConnectTimeout}
	type result struct {
		c   ssh.Conn
		ch  <-chan ssh.NewChannel
		rq  <-chan *ssh.Request
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, ch, rq, err := ssh.NewClientConn(conn, addr, cfg)
		done <- result{c, ch, rq, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		conn.Close()
		<-done
		return nil, fmt.Errorf("ssh %s (%s): no answer to the SSH handshake within %s (ConnectTimeout)", s.Alias, addr, s.ConnectTimeout)
	}
	if r.err != nil {
		var hke *HostKeyError
		if errors.As(r.err, &hke) {
			return nil, hke
		}
		if strings.Contains(r.err.Error(), "unable to authenticate") {
			return nil, fmt.Errorf("ssh %s (%s): the server refused every key for user %q (tried %s): add the public key to ~%s/.ssh/authorized_keys there, or set IdentityFile in ~/.ssh/config",
				s.Alias, addr, s.User, strings.Join(tried, ", "), s.User)
		}
		return nil, fmt.Errorf("ssh %s (%s): %v", s.Alias, addr, r.err)
	}
	return ssh.NewClient(r.c, r.ch, r.rq), nil
}

func dialError(s Settings, addr string, err error) error {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("ssh %s (%s): connection refused (is sshd running, and on port %d?)", s.Alias, addr, s.Port)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("ssh %s (%s): no answer within %s (ConnectTimeout): host down or port filtered", s.Alias, addr, s.ConnectTimeout)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("ssh %s: cannot resolve %s: %v (is it in ~/.ssh/config or the inventory?)", s.Alias, s.HostName, dnsErr.Err)
	}
	return fmt.Errorf("ssh %s (%s): %v", s.Alias, addr, err)
}
