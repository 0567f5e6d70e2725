// Package journal is the step() builtin and its journal: a JSON file that
// records each step of a run (its result, the async jobs it submitted), so
// a failed or interrupted run names what it created, `vrun resume` goes on
// from the first unfinished step, and `vrun undo` takes the steps back.
package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vrun-dev/vrun/builtins/env"
)

// Mode is what step() does with the steps a loaded journal holds.
type Mode int

const (
	Run    Mode = iota // a fresh run: every step runs
	Resume             // done steps return their recorded result
	Replay             // done steps are replayed for undo; the run stops at the first other
)

// Journal is one run's record. Exported fields are its JSON file.
type Journal struct {
	Recipe string         `json:"recipe"`
	Params map[string]any `json:"params"`
	Hash   string         `json:"params_hash"`
	Args   []string       `json:"args"`   // the recipe's flags, for vrun undo
	Status string         `json:"status"` // running, failed, interrupted, timed out, done, undone
	Steps  []*Step        `json:"steps"`

	mu    sync.Mutex
	path  string // "" keeps it in memory
	mode  Mode
	next  int   // index of the next step() call
	cur   *Step // the step running now
	undos []pendingUndo
}

// Step is one step() call.
type Step struct {
	Name   string `json:"name"`
	What   string `json:"what,omitempty"`   // what it creates: "volume"
	Status string `json:"status"`           // running, done, failed, interrupted, undone
	Result any    `json:"result,omitempty"` // fn's result as JSON
	Jobs   []*Job `json:"jobs,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Job is an async job a step submitted.
type Job struct {
	ID      string `json:"id"`
	Command string `json:"command"`
	Entity  string `json:"entity,omitempty"`
	Running bool   `json:"running"`
	handed  bool   // given to a resumed call already
}

// New is an empty journal for a recipe run with params.
func New(recipe string, params map[string]any) *Journal {
	return &Journal{Recipe: recipe, Params: params, Hash: Hash(params), Status: "running"}
}

// Hash names a parameter set: the first 12 hex digits of the SHA-256 of
// its JSON (keys sorted).
func Hash(params map[string]any) string {
	b, _ := json.Marshal(params)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:12]
}

// DefaultPath is where a run keeps its journal: dir/.vrun/journal/<recipe>-<hash>.json.
func DefaultPath(dir, recipe, hash string) string {
	base := strings.TrimSuffix(filepath.Base(recipe), ".star")
	return filepath.Join(dir, ".vrun", "journal", base+"-"+hash+".json")
}

// Load reads a journal file.
func Load(path string) (*Journal, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &Journal{}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, fmt.Errorf("journal %s: not a vrun journal: %v", path, err)
	}
	if j.Recipe == "" || j.Hash == "" {
		return nil, fmt.Errorf("journal %s: not a vrun journal (no recipe or params_hash)", path)
	}
	for i, s := range j.Steps {
		if s == nil || s.Name == "" {
			return nil, fmt.Errorf("journal %s: step %d has no name", path, i+1)
		}
	}
	j.path = path
	return j, nil
}

// SetPath makes the journal a file, written at each change.
func (j *Journal) SetPath(path string) { j.mu.Lock(); j.path = path; j.mu.Unlock() }

// Path is the journal's file ("" in memory).
func (j *Journal) Path() string { j.mu.Lock(); defer j.mu.Unlock(); return j.path }

// SetMode sets what step() does with recorded steps.
func (j *Journal) SetMode(m Mode) { j.mu.Lock(); j.mode = m; j.mu.Unlock() }

// Unfinished reports whether the run it records did not end well.
func (j *Journal) Unfinished() bool { return j.Status != "done" && j.Status != "undone" }

// save writes the file atomically; the caller holds mu.
func (j *Journal) save() error {
	if j.path == "" || len(j.Steps) == 0 { // a recipe without steps leaves no file
		return nil
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return fmt.Errorf("journal: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	tmp := j.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Finish records how the run ended and writes the journal.
func (j *Journal) Finish(status string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Status = status
	return j.save()
}

// Diff lists the parameters that differ between two runs, one a line.
func Diff(old, now map[string]any) string {
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range now {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var lines []string
	for _, k := range names {
		a, _ := json.Marshal(old[k])
		b, _ := json.Marshal(now[k])
		if string(a) != string(b) {
			lines = append(lines, fmt.Sprintf("  --%s: journal %s, now %s", strings.ReplaceAll(k, "_", "-"), a, b))
		}
	}
	return strings.Join(lines, "\n")
}

// Attach makes j the journal of the run: step() records into it and the
// CloudStack module reports its jobs to it.
func Attach(e *env.Env, j *Journal) {
	e.Jobs = j
	e.Shared(sharedKey, func() (any, error) { return j, nil })
}

const sharedKey = "journal"

// of returns the run's journal, an in-memory one when none was attached
// (the REPL, tests).
func of(e *env.Env) *Journal {
	v, _ := e.Shared(sharedKey, func() (any, error) {
		j := New("", nil)
		e.Jobs = j
		return j, nil
	})
	return v.(*Journal)
}

// Submitted implements env.JobTracker.
func (j *Journal) Submitted(id, command, entity string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cur == nil {
		return
	}
	j.cur.Jobs = append(j.cur.Jobs, &Job{ID: id, Command: command, Entity: entity, Running: true})
	j.save()
}

// Ended implements env.JobTracker.
func (j *Journal) Ended(id string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, s := range j.Steps {
		for _, jb := range s.Jobs {
			if jb.ID == id {
				jb.Running = false
			}
		}
	}
	j.save()
}

// Pending implements env.JobTracker: a job the current step submitted in
// an earlier run and that was still running when that run stopped.
func (j *Journal) Pending(command string) (string, string, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cur == nil {
		return "", "", false
	}
	for _, jb := range j.cur.Jobs {
		if jb.Running && !jb.handed && jb.Command == command {
			jb.handed = true
			return jb.ID, jb.Entity, true
		}
	}
	return "", "", false
}
