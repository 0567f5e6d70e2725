package sim

import "fmt"

// Slot is a module's typed place in the host's world: the LVM fake keeps
// its volume groups in one, the CloudStack simulator its resources in
// another. A module declares its slot when it installs its fakes, so a
// saved world (--sim-state) can be decoded before anything runs; the value
// is made on first use otherwise. T must be a pointer whose target
// survives encoding/json (exported fields, or its own Marshal/Unmarshal).
type Slot[T any] struct {
	Key string   // the module's name; also its key in the world file
	New func() T // a fresh value: the module's default world
}

// Declare registers the slot on h. A key declared twice is a start-up
// error, like a command registered twice.
func (s Slot[T]) Declare(h *Host) {
	if _, dup := h.slots[s.Key]; dup {
		h.errs = append(h.errs, fmt.Errorf("simulated host: state slot %q declared twice", s.Key))
		return
	}
	h.slots[s.Key] = func() any { return s.New() }
}

// Get returns the slot's value on h, making it on first use; the host must
// be locked.
func (s Slot[T]) Get(h *Host) T {
	if v, ok := h.state[s.Key].(T); ok {
		return v
	}
	v := s.New()
	h.state[s.Key] = v
	return v
}
