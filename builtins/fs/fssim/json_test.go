package fssim

import (
	"encoding/json"
	"testing"
)

// A saved UUID sequence that is null or negative is refused; a good one
// is read as saved.
func TestStateRefusesBadSeq(t *testing.T) {
	for _, doc := range []string{`null`, `{"uuid_seq": -1}`, `{"uuid_seq": "x"}`} {
		var s fsState
		if err := json.Unmarshal([]byte(doc), &s); err == nil {
			t.Errorf("loaded %s", doc)
		}
	}
	var s fsState
	if err := json.Unmarshal([]byte(`{"uuid_seq": 7}`), &s); err != nil || s.UUIDSeq != 7 {
		t.Errorf("got %v, %+v", err, s)
	}
}
