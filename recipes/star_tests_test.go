package recipes_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/interp/vtest"
)

// TestStarTests runs the shipped recipes' *_test.star files as `vrun
// test recipes/` does, so `go test ./...` (and `make test`) covers them.
func TestStarTests(t *testing.T) {
	files, err := vtest.Files([]string{"."})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 7 {
		t.Fatalf("found %d recipe test files, want one per shipped recipe: %v", len(files), files)
	}
	var out strings.Builder
	ok := vtest.Run(context.Background(), files, vtest.Options{Out: &out, Parallel: 2})
	if !ok {
		t.Fatalf("vrun test recipes/ failed:\n%s", out.String())
	}
	t.Log(strings.TrimSpace(out.String()))
}
