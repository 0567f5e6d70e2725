package sim

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// Fleet is what the simulated hosts of one run share beyond their own
// worlds: services that span machines, such as a sheepdog cluster whose
// nodes are several hosts. Each host keeps its own world; a module looks
// up the shared service by its identity (for sheepdog: corosync's ring and
// sheep's port) and every host naming the same identity meets the same
// object. A host outside a fleet (the run's own simulated host, a test's)
// has none and keeps its services to itself.
type Fleet struct {
	mu     sync.Mutex
	kinds  map[string]func() any     // declared shared kinds: how to make each
	shared map[string]map[string]any // kind -> identity -> value
}

// NewFleet returns an empty fleet.
func NewFleet() *Fleet {
	return &Fleet{kinds: map[string]func() any{}, shared: map[string]map[string]any{}}
}

// Shared is a module's typed kind of fleet-wide service. Like Slot, T must
// be a pointer whose target survives encoding/json.
type Shared[T any] struct {
	Kind string   // the module's name; also its key in the world file
	New  func() T // a fresh service, before any host joined it
}

// Declare registers the kind on h, so a fleet h joins can load it from a
// world file.
func (s Shared[T]) Declare(h *Host) {
	if h.shared == nil {
		h.shared = map[string]func() any{}
	}
	h.shared[s.Kind] = func() any { return s.New() }
}

// With runs fn on the service of identity id, made on first use, with the
// fleet locked: hosts answer commands in parallel, each under its own lock
// (taken before this one, never after).
func (s Shared[T]) With(f *Fleet, id string, fn func(T)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	byID := f.shared[s.Kind]
	if byID == nil {
		byID = map[string]any{}
		f.shared[s.Kind] = byID
	}
	v, ok := byID[id].(T)
	if !ok {
		v = s.New()
		byID[id] = v
	}
	fn(v)
}

// JoinFleet makes h a member of f: its modules' shared kinds become f's.
func (h *Host) JoinFleet(f *Fleet) {
	f.Learn(h)
	h.fleet = f
}

// Fleet returns the fleet h belongs to, or nil.
func (h *Host) Fleet() *Fleet { return h.fleet }

// Learn declares on f the shared kinds of h's modules, without making h a
// member (the run's own host teaches a fleet what it may load).
func (f *Fleet) Learn(h *Host) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, mk := range h.shared {
		f.kinds[k] = mk
	}
}

// Empty reports whether no service was made.
func (f *Fleet) Empty() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, byID := range f.shared {
		if len(byID) > 0 {
			return false
		}
	}
	return true
}

// Save encodes the fleet's services: kind -> identity -> state.
func (f *Fleet) Save() (json.RawMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]map[string]json.RawMessage{}
	for kind, byID := range f.shared {
		if len(byID) == 0 {
			continue
		}
		out[kind] = map[string]json.RawMessage{}
		for id, v := range byID {
			raw, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("fleet: %s %s: %v", kind, id, err)
			}
			out[kind][id] = raw
		}
	}
	return json.Marshal(out)
}

// Load replaces the fleet's services with saved ones. A kind no module
// declared, or a service that does not decode, is an error: a half-loaded
// fleet would rehearse the wrong thing.
func (f *Fleet) Load(data []byte) error {
	var in map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("fleet: want an object of kind to identity to state: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	shared := map[string]map[string]any{}
	kinds := make([]string, 0, len(in))
	for k := range in {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		mk, ok := f.kinds[kind]
		if !ok {
			return fmt.Errorf("fleet: state for %q, which no module of this vrun shares between hosts", kind)
		}
		shared[kind] = map[string]any{}
		for id, raw := range in[kind] {
			if id == "" {
				return fmt.Errorf("fleet: %s: a service without an identity", kind)
			}
			v := mk()
			if err := json.Unmarshal(raw, v); err != nil {
				return fmt.Errorf("fleet: %s %s: %v", kind, id, err)
			}
			shared[kind][id] = v
		}
	}
	f.shared = shared
	return nil
}
