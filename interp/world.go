package interp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// loadWorld replaces the simulated host's world with the one saved in
// file, when the file exists: a missing file means "start from the default
// world and save it there at the end". The worlds of the other simulated
// hosts (host("node1") under --sim) are under "hosts", one per name.
func (in *Interp) loadWorld(h *sim.Host, file string) error {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--sim-state: %v", err)
	}
	main, others, fleet, err := splitWorld(data)
	if err != nil {
		return fmt.Errorf("--sim-state %s: %v", file, err)
	}
	h.WithLock(func(h *sim.Host) { err = h.LoadWorld(main) })
	if err != nil {
		return fmt.Errorf("--sim-state %s: %v", file, err)
	}
	for _, name := range sortedKeys(others) {
		if name == "" || strings.HasPrefix(name, "-") || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' }) {
			return fmt.Errorf("--sim-state %s: hosts: %q is not a host name", file, name)
		}
		ex, err := in.simHost(name, "")
		if err != nil {
			return err
		}
		ex.(*sim.Host).WithLock(func(h *sim.Host) { err = h.LoadWorld(others[name]) })
		if err != nil {
			return fmt.Errorf("--sim-state %s: host %s: %v", file, name, err)
		}
	}
	if fleet != nil {
		in.sims.mu.Lock()
		err = in.fleetOf().Load(fleet)
		in.sims.mu.Unlock()
		if err != nil {
			return fmt.Errorf("--sim-state %s: %v", file, err)
		}
	}
	return nil
}

// splitWorld takes the "hosts" map and the "fleet" out of a world file.
func splitWorld(data []byte) (main []byte, others map[string]json.RawMessage, fleet json.RawMessage, err error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil || (top["hosts"] == nil && top["fleet"] == nil) {
		return data, nil, nil, nil // the host's own loader reports what is wrong
	}
	if top["hosts"] != nil {
		if err := json.Unmarshal(top["hosts"], &others); err != nil {
			return nil, nil, nil, fmt.Errorf("world file: hosts: want an object of host name to world: %v", err)
		}
	}
	fleet = top["fleet"]
	delete(top, "hosts")
	delete(top, "fleet")
	main, err = json.Marshal(top)
	return main, others, fleet, err
}

// allWorlds is the run's world file: the main simulated host's world, with
// the other hosts' under "hosts" when there are any (so a one-host world
// file keeps its layout).
func (in *Interp) allWorlds() ([]byte, error) {
	var data []byte
	var err error
	in.SimHost.WithLock(func(h *sim.Host) { data, err = h.SaveWorld() })
	if err != nil {
		return nil, err
	}
	in.sims.mu.Lock()
	defer in.sims.mu.Unlock()
	if len(in.sims.hosts) == 0 {
		return data, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, err
	}
	others := map[string]json.RawMessage{}
	for name, h := range in.sims.hosts {
		var w []byte
		h.WithLock(func(h *sim.Host) { w, err = h.SaveWorld() })
		if err != nil {
			return nil, fmt.Errorf("host %s: %v", name, err)
		}
		others[name] = w
	}
	if top["hosts"], err = json.Marshal(others); err != nil {
		return nil, err
	}
	if in.sims.fleet != nil && !in.sims.fleet.Empty() {
		if top["fleet"], err = in.sims.fleet.Save(); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(top, "", "  ")
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SaveWorld writes the simulated world back to the --sim-state file (a
// no-op without one). A failed run saves too: a real host keeps what a
// failed recipe changed, and the rehearsal of a re-run must see it.
func (in *Interp) SaveWorld() error {
	if in.SimHost == nil || in.worldFile == "" {
		return nil
	}
	data, err := in.allWorlds()
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
	return in.allWorlds()
}
