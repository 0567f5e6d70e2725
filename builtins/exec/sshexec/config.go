package sshexec

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kevinburke/ssh_config"
)

// Settings is how to reach one host, after ~/.ssh/config.
type Settings struct {
	Alias          string // the name the recipe used
	HostName       string
	Port           int
	User           string
	IdentityFiles  []string
	IdentitiesOnly bool
	ProxyJump      string // "" or "none": direct
	// StrictHostKeyChecking: "yes" (and "ask": vrun cannot ask) refuses
	// unknown keys; "accept-new" and "no" record them. A changed key is
	// always refused.
	StrictHostKeyChecking string
	KnownHostsFiles       []string // first: where accepted keys are written
	ConnectTimeout        time.Duration
	AliveInterval         time.Duration // 0: no keepalives
	AliveCountMax         int
}

// Config reads ssh_config files: the user's, then the system's; the first
// value found wins, as in ssh(1).
type Config struct {
	Home  string // for ~ in paths; "" means $HOME
	files []*ssh_config.Config
}

// LoadConfig parses the given files; a missing file is skipped, a file
// that does not parse is an error (a half-read config could send vrun to
// the wrong host or user).
func LoadConfig(home string, paths ...string) (*Config, error) {
	c := &Config{Home: home}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("ssh config %s: %v", p, err)
		}
		cfg, err := ssh_config.DecodeBytes(data)
		if err != nil {
			return nil, fmt.Errorf("ssh config %s: %v", p, err)
		}
		c.files = append(c.files, cfg)
	}
	return c, nil
}

// DefaultConfig reads ~/.ssh/config and /etc/ssh/ssh_config.
func DefaultConfig() (*Config, error) {
	home, _ := os.UserHomeDir()
	return LoadConfig(home, filepath.Join(home, ".ssh", "config"), "/etc/ssh/ssh_config")
}

func (c *Config) get(alias, key string) string {
	for _, f := range c.files {
		if v, err := f.Get(alias, key); err == nil && v != "" {
			return v
		}
	}
	return ""
}

func (c *Config) getAll(alias, key string) []string {
	var out []string
	for _, f := range c.files {
		if v, err := f.GetAll(alias, key); err == nil {
			out = append(out, v...)
		}
	}
	return out
}

// Resolve returns the settings for alias; user and port, when non-zero,
// override the config (an ssh:// URL or inventory variables), as ssh -l/-p do.
func (c *Config) Resolve(alias, user string, port int) (Settings, error) {
	s := Settings{Alias: alias, HostName: alias, Port: 22, AliveCountMax: 3, ConnectTimeout: 10 * time.Second}
	if v := c.get(alias, "HostName"); v != "" {
		s.HostName = strings.ReplaceAll(v, "%h", alias)
	}
	if v := c.get(alias, "Port"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return s, fmt.Errorf("ssh config: Port %q for %s: want 1-65535", v, alias)
		}
		s.Port = p
	}
	if port != 0 {
		s.Port = port
	}
	s.User = c.get(alias, "User")
	if user != "" {
		s.User = user
	}
	if s.User == "" {
		s.User = os.Getenv("USER")
		if s.User == "" {
			s.User = "root"
		}
	}
	s.ProxyJump = c.get(alias, "ProxyJump")
	s.IdentitiesOnly = strings.EqualFold(c.get(alias, "IdentitiesOnly"), "yes")
	s.StrictHostKeyChecking = strings.ToLower(c.get(alias, "StrictHostKeyChecking"))
	if s.StrictHostKeyChecking == "" || s.StrictHostKeyChecking == "ask" {
		s.StrictHostKeyChecking = "yes"
	}
	for _, f := range c.getAll(alias, "IdentityFile") {
		s.IdentityFiles = append(s.IdentityFiles, c.expand(f, s))
	}
	if len(s.IdentityFiles) == 0 {
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			s.IdentityFiles = append(s.IdentityFiles, c.expand("~/.ssh/"+n, s))
		}
	}
	for _, v := range c.getAll(alias, "UserKnownHostsFile") {
		for _, f := range strings.Fields(v) {
			s.KnownHostsFiles = append(s.KnownHostsFiles, c.expand(f, s))
		}
	}
	if len(s.KnownHostsFiles) == 0 {
		s.KnownHostsFiles = []string{c.expand("~/.ssh/known_hosts", s)}
	}
	s.KnownHostsFiles = append(s.KnownHostsFiles, "/etc/ssh/ssh_known_hosts")
	var err error
	if s.ConnectTimeout, err = seconds(c.get(alias, "ConnectTimeout"), s.ConnectTimeout); err != nil {
		return s, fmt.Errorf("ssh config: ConnectTimeout for %s: %v", alias, err)
	}
	if s.AliveInterval, err = seconds(c.get(alias, "ServerAliveInterval"), 15*time.Second); err != nil {
		return s, fmt.Errorf("ssh config: ServerAliveInterval for %s: %v", alias, err)
	}
	if v := c.get(alias, "ServerAliveCountMax"); v != "" {
		if s.AliveCountMax, err = strconv.Atoi(v); err != nil || s.AliveCountMax < 1 {
			return s, fmt.Errorf("ssh config: ServerAliveCountMax %q for %s: want a positive number", v, alias)
		}
	}
	return s, nil
}

func seconds(v string, def time.Duration) (time.Duration, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("got %q, want seconds", v)
	}
	return time.Duration(n) * time.Second, nil
}

// expand does ssh_config's ~ and the common % tokens in file names.
func (c *Config) expand(p string, s Settings) string {
	home := c.Home
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		p = home + p[1:]
	}
	var b bytes.Buffer
	for i := 0; i < len(p); i++ {
		if p[i] != '%' || i+1 == len(p) {
			b.WriteByte(p[i])
			continue
		}
		i++
		switch p[i] {
		case 'd':
			b.WriteString(home)
		case 'h':
			b.WriteString(s.HostName)
		case 'n':
			b.WriteString(s.Alias)
		case 'r':
			b.WriteString(s.User)
		case 'p':
			b.WriteString(strconv.Itoa(s.Port))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(p[i])
		}
	}
	return b.String()
}
