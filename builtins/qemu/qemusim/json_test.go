package qemusim

import (
	"encoding/json"
	"testing"
)

// A world file with null where images belong is refused: the fakes would
// otherwise write into a nil map or read a nil image.
func TestImagesRefuseNull(t *testing.T) {
	for _, doc := range []string{`null`, `{"/x": null}`, `{"/x": {"format": "vmdk", "size": 1}}`, `{"/x": {"format": "raw", "size": -1}}`} {
		var m images
		if err := json.Unmarshal([]byte(doc), &m); err == nil {
			t.Errorf("loaded %s", doc)
		}
	}
	var m images
	if err := json.Unmarshal([]byte(`{"/x": {"format": "qcow2", "size": 1024}}`), &m); err != nil || m["/x"].size != 1024 {
		t.Errorf("a good image: %v, %+v", err, m)
	}
}
