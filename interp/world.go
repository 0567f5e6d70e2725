package interp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// loadWorld replaces the simulated host's world with the one saved in
// file, when the file exists: a missing file means "start from the default
// world and save it there at the end".
func loadWorld(h *sim.Host, file string) error {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	h.WithLock(func(h *sim.Host) { err = h.LoadWorld(data) })
	if err != nil {
		return fmt.Errorf("--sim-state %s: %v", file, err)
	}
	return nil
}

// SaveWorld writes the simulated world back to the --sim-state file (a
// no-op without one). A failed run saves too: a real host keeps what a
// failed recipe changed, and the rehearsal of a re-run must see it.
func (in *Interp) SaveWorld() error {
	if in.SimHost == nil || in.worldFile == "" {
		return nil
	}
	var data []byte
	var err error
	in.SimHost.WithLock(func(h *sim.Host) { data, err = h.SaveWorld() })
	if err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	// Write then rename: an interrupted save leaves the old world intact.
	tmp, err := os.CreateTemp(filepath.Dir(in.worldFile), ".vrun-world-*")
	if err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("--sim-state: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	if err := os.Rename(tmp.Name(), in.worldFile); err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	return nil
}

// World returns the simulated world as JSON (vrun sim world).
func (in *Interp) World() ([]byte, error) {
	if in.SimHost == nil {
		return nil, errors.New("no simulated host in this run")
	}
	var data []byte
	var err error
	in.SimHost.WithLock(func(h *sim.Host) { data, err = h.SaveWorld() })
	return data, err
}
