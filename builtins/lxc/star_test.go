package lxc_test

import (
	"testing"

	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStar(t *testing.T) {
	startest.Run(t, "testdata/*.star", startest.Options{})
}
