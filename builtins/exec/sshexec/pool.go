package sshexec

import (
	"fmt"
	"os"
	"sync"
)

// Pool holds one Executor (so one connection) per host of a run.
type Pool struct {
	Dialer *Dialer

	mu    sync.Mutex
	hosts map[string]*link
}

// Options configure a pool.
type Options struct {
	Config *Config // nil: ~/.ssh/config and /etc/ssh/ssh_config
	// AgentSock is ssh-agent's socket; "" reads $SSH_AUTH_SOCK. Use "none"
	// for no agent.
	AgentSock         string
	AcceptNewHostKeys bool // --accept-new-host-keys
}

// NewPool returns an empty pool.
func NewPool(o Options) (*Pool, error) {
	cfg := o.Config
	if cfg == nil {
		var err error
		if cfg, err = DefaultConfig(); err != nil {
			return nil, err
		}
	}
	sock := o.AgentSock
	switch sock {
	case "":
		sock = os.Getenv("SSH_AUTH_SOCK")
	case "none":
		sock = ""
	}
	return &Pool{Dialer: &Dialer{Config: cfg, AgentSock: sock, keys: &hostKeys{acceptNew: o.AcceptNewHostKeys}}}, nil
}

// Host returns the executor of alias (user and port override the config
// when non-zero); the same arguments give the same connection.
func (p *Pool) Host(alias, user string, port int, become bool) (*Executor, error) {
	return p.HostAs(alias, alias, user, port, become)
}

// HostAs is Host for a host whose messages name it display (an inventory
// name) while ssh_config is looked up for alias (its ansible_host).
func (p *Pool) HostAs(display, alias, user string, port int, become bool) (*Executor, error) {
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%d", display, alias, user, port)
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.hosts[key]; ok {
		return &Executor{link: l, Become: become}, nil
	}
	s, err := p.Dialer.Config.Resolve(alias, user, port)
	if err != nil {
		return nil, err
	}
	s.Alias = display
	l := &link{Settings: s, dialer: p.Dialer, sessions: make(chan struct{}, MaxSessions)}
	if p.hosts == nil {
		p.hosts = map[string]*link{}
	}
	p.hosts[key] = l
	return &Executor{link: l, Become: become}, nil
}

// Close closes every connection.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, x := range p.hosts {
		x.Close()
	}
	return nil
}
