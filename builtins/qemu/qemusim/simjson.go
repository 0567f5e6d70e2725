package qemusim

import (
	"encoding/json"
	"fmt"

	"github.com/vrun-dev/vrun/builtins/qemu"
)

// imageJSON is an image's format in a world file (images are saved as a
// map by path, which encoding/json writes sorted).
type imageJSON struct {
	Format        string          `json:"format"`
	Size          int64           `json:"size"`
	Backing       string          `json:"backing,omitempty"`
	BackingFormat string          `json:"backing_format,omitempty"`
	Snapshots     []qemu.Snapshot `json:"snapshots,omitempty"`
}

// MarshalJSON writes the image for SaveWorld.
func (img *image) MarshalJSON() ([]byte, error) {
	return json.Marshal(imageJSON{Format: img.format, Size: img.size, Backing: img.backing, BackingFormat: img.backFmt, Snapshots: img.snapshots})
}

// UnmarshalJSON reads a saved image; a format the fakes do not model or a
// negative size is an error rather than an image qemu-img could not have
// made.
func (img *image) UnmarshalJSON(data []byte) error {
	var j imageJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if j.Format != "raw" && j.Format != "qcow2" {
		return fmt.Errorf("image format %q: the simulated qemu-img keeps raw and qcow2 images", j.Format)
	}
	if j.Size < 0 {
		return fmt.Errorf("image size %d is negative", j.Size)
	}
	*img = image{format: j.Format, size: j.Size, backing: j.Backing, backFmt: j.BackingFormat, snapshots: j.Snapshots}
	return nil
}

// UnmarshalJSON reads the images by path; null where an image or the set
// should be is an error, not a hole for the fakes to fall into.
func (m *images) UnmarshalJSON(data []byte) error {
	var raw map[string]*image
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw == nil {
		return fmt.Errorf("null, want images by path (leave the key out for none)")
	}
	for p, img := range raw {
		if img == nil {
			return fmt.Errorf("image %q is null", p)
		}
	}
	*m = raw
	return nil
}
