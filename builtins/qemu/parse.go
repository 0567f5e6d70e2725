// Package qemu drives qemu-img (create, info, convert, resize, snapshot,
// always reading `info --output=json`) and builds and runs qemu-system
// command lines, choosing KVM when the target has /dev/kvm.
package qemu

import (
	"encoding/json"
	"fmt"
)

// ImageInfo is the top level of `qemu-img info --output=json`. Only the
// top-level keys are read: QEMU ≥8 nests a second "virtual-size" under
// "children", which must not win.
type ImageInfo struct {
	Snapshots           []Snapshot `json:"snapshots,omitempty"`
	BackingFormat       string     `json:"backing-filename-format,omitempty"`
	VirtualSize         int64      `json:"virtual-size"`
	Filename            string     `json:"filename"`
	ClusterSize         int64      `json:"cluster-size,omitempty"`
	Format              string     `json:"format"`
	ActualSize          int64      `json:"actual-size,omitempty"`
	Encrypted           bool       `json:"encrypted,omitempty"`
	FormatSpecific      *Specific  `json:"format-specific,omitempty"`
	FullBackingFilename string     `json:"full-backing-filename,omitempty"`
	BackingFilename     string     `json:"backing-filename,omitempty"`
	DirtyFlag           bool       `json:"dirty-flag"`
}

// Specific is "format-specific"; its data is kept as raw JSON.
type Specific struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Snapshot is one internal snapshot, in qemu's key order.
type Snapshot struct {
	ICount      int64  `json:"icount"`
	VMClockNsec int64  `json:"vm-clock-nsec"`
	Name        string `json:"name"`
	DateSec     int64  `json:"date-sec"`
	DateNsec    int64  `json:"date-nsec"`
	VMClockSec  int64  `json:"vm-clock-sec"`
	ID          string `json:"id"`
	VMStateSize int64  `json:"vm-state-size"`
}

// ParseInfo parses `info --output=json` of one image. (`--backing-chain`
// prints an array; use ParseInfoChain.)
func ParseInfo(out []byte) (ImageInfo, error) {
	var info ImageInfo
	if err := json.Unmarshal(out, &info); err != nil {
		return info, fmt.Errorf("cannot parse qemu-img info output: %w", err)
	}
	if info.Format == "" {
		return info, fmt.Errorf("qemu-img info output has no format")
	}
	if info.VirtualSize < 0 {
		return info, fmt.Errorf("qemu-img info output has a negative virtual-size")
	}
	return info, nil
}
