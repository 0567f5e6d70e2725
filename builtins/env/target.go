package env

import (
	"context"
	"sync"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Target is where a builtin's commands run: the local host, the simulated
// host, later an SSH host. Probes and caches that depend on the machine
// (dog or collie? which tools exist?) live here, not on the run, so one
// recipe can drive several hosts without their answers mixing.
type Target struct {
	Name string        // "local", "sim", or the host's name
	Exec exec.Executor // may wrap other executors (dry-run, record, ...)

	mu    sync.Mutex
	cache map[string]any
}

// NewTarget returns a target running commands with ex.
func NewTarget(name string, ex exec.Executor) *Target {
	return &Target{Name: name, Exec: ex}
}

// Cache returns the per-target value stored under key, creating it with mk
// on first use.
func (t *Target) Cache(key string, mk func() (any, error)) (any, error) {
	return memo(&t.mu, &t.cache, key, mk)
}

// memo is the one get-or-create under a lock behind Run.Shared and
// Target.Cache.
func memo(mu *sync.Mutex, m *map[string]any, key string, mk func() (any, error)) (any, error) {
	mu.Lock()
	defer mu.Unlock()
	if v, ok := (*m)[key]; ok {
		return v, nil
	}
	v, err := mk()
	if err != nil {
		return nil, err
	}
	if *m == nil {
		*m = map[string]any{}
	}
	(*m)[key] = v
	return v, nil
}

// New returns a minimal environment running commands with ex: what a
// module's Go tests need; interp builds the full one for a run.
func New(ctx context.Context, ex exec.Executor) *Env {
	return &Env{RunEnv: &RunEnv{Ctx: ctx, Clock: RealClock{}}, Target: NewTarget("local", ex)}
}
