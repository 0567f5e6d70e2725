package env

import (
	"slices"
	"sync"
)

const secretsKey = "vrun.secrets"

// secretSet is the run's known secret values.
type secretSet struct {
	mu   sync.Mutex
	vals []string
}

func (e *Env) secretSet() *secretSet {
	v, _ := e.Shared(secretsKey, func() (any, error) { return &secretSet{}, nil })
	return v.(*secretSet)
}

// AddSecret records a secret a builtin uses (a CloudStack secret key from
// arguments, the environment or a cloudmonkey profile), so the REPL keeps
// it out of its history and saved recipes.
func (e *Env) AddSecret(v string) {
	if v == "" {
		return
	}
	ss := e.secretSet()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !slices.Contains(ss.vals, v) {
		ss.vals = append(ss.vals, v)
	}
}

// Secrets are the values AddSecret recorded, in order.
func (e *Env) Secrets() []string {
	ss := e.secretSet()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return slices.Clone(ss.vals)
}
