package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"unicode/utf8"
)

// worldVersion is bumped when the world file's layout changes.
const worldVersion = 2

// worldFile is the simulated host's world as JSON: readable and diffable,
// so an operator can keep one (--sim-state), look at it (vrun sim world)
// and rehearse a follow-up recipe on what the last one left.
type worldFile struct {
	Version  int                        `json:"version"`
	Dirs     []string                   `json:"dirs"`
	Files    map[string]fileJSON        `json:"files"`
	Links    map[string]string          `json:"symlinks,omitempty"` // path -> target as written
	Storage  storageJSON                `json:"storage"`
	Network  *Network                   `json:"network,omitempty"`  // absent (version 1): a fresh host's
	Accounts *Accounts                  `json:"accounts,omitempty"` // users and services, likewise
	Modules  map[string]json.RawMessage `json:"modules"`
}

// fileJSON keeps text files as text; other content as base64.
type fileJSON struct {
	Mode   uint32 `json:"mode"`
	Text   string `json:"text,omitempty"`
	Base64 []byte `json:"base64,omitempty"`
}

// SaveWorld encodes the host's world; the host must be locked. Module
// state must sit in declared slots (a module that has not declared one
// cannot be saved, and the error names it).
func (h *Host) SaveWorld() ([]byte, error) {
	w := worldFile{Version: worldVersion, Files: map[string]fileJSON{}, Modules: map[string]json.RawMessage{}}
	for d := range h.dirs {
		w.Dirs = append(w.Dirs, d)
	}
	sort.Strings(w.Dirs)
	for p, f := range h.files {
		fj := fileJSON{Mode: f.Mode}
		if utf8.Valid(f.Data) {
			fj.Text = string(f.Data)
		} else {
			fj.Base64 = f.Data
		}
		w.Files[p] = fj
	}
	if len(h.links) > 0 {
		w.Links = h.links
	}
	w.Storage = h.storage.toJSON()
	w.Network, w.Accounts = h.net, h.users
	for key, v := range h.state {
		if _, ok := h.slots[key]; !ok {
			return nil, fmt.Errorf("simulated world: state %q has no declared slot, so it cannot be saved", key)
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("simulated world: %s: %v", key, err)
		}
		w.Modules[key] = raw
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// LoadWorld replaces the host's world with a saved one; the host must be
// locked and every module's slots declared. Anything it cannot read is an
// error: a half-loaded world would rehearse the wrong thing.
func (h *Host) LoadWorld(data []byte) error {
	var w worldFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("world file: %v", err)
	}
	// Version 1 files lack the network, users and services: a fresh
	// host's are used. Newer ones come from a newer vrun.
	if w.Version < 1 || w.Version > worldVersion {
		return fmt.Errorf("world file: version %d, want 1 to %d", w.Version, worldVersion)
	}
	st, err := storageFromJSON(w.Storage)
	if err != nil {
		return fmt.Errorf("world file: storage: %v", err)
	}
	if w.Network == nil {
		w.Network = NewNetwork()
	}
	if err := w.Network.check(); err != nil {
		return fmt.Errorf("world file: network: %v", err)
	}
	if w.Accounts == nil {
		w.Accounts = NewAccounts()
	}
	if err := w.Accounts.check(); err != nil {
		return fmt.Errorf("world file: accounts: %v", err)
	}
	state := map[string]any{}
	for key, raw := range w.Modules {
		mk, ok := h.slots[key]
		if !ok {
			return fmt.Errorf("world file: state for %q, which no module of this vrun declares", key)
		}
		v := mk()
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("world file: %s: %v", key, err)
		}
		state[key] = v
	}
	links := map[string]string{}
	for p, t := range w.Links {
		if p == "" || p[0] != '/' || path.Clean(p) != p {
			return fmt.Errorf("world file: symlink %q: want a clean absolute path", p)
		}
		links[p] = t
	}
	h.links = map[string]string{} // files are written at their own paths
	h.dirs = map[string]bool{"/": true}
	for _, d := range w.Dirs {
		h.MakeDir(d)
	}
	h.files = map[string]*File{}
	for p, f := range w.Files {
		data := []byte(f.Text)
		if f.Base64 != nil {
			data = f.Base64
		}
		h.WriteFile(p, data, f.Mode)
	}
	h.links = links
	h.storage, h.state, h.net, h.users = st, state, w.Network, w.Accounts
	return nil
}
