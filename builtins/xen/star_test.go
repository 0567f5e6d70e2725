package xen_test

import (
	"testing"

	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStarFiles(t *testing.T) {
	startest.Run(t, "testdata/*.star", startest.Options{})
}
