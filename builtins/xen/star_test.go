package xen_test

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/xen/xensim"
	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStarFiles(t *testing.T) {
	startest.Run(t, "testdata/*.star", startest.Options{})
}

// The xm files run on a dom0 where only xend exists.
func TestStarFilesXm(t *testing.T) {
	startest.Run(t, "testdata/xm/*.star", startest.Options{Setup: func(h *sim.Host) { xensim.SetToolstack(h, "xm") }})
}

// A host with neither xl nor xm: every call says so and changes nothing.
func TestStarFilesNoXen(t *testing.T) {
	startest.Run(t, "testdata/noxen/*.star", startest.Options{Setup: func(h *sim.Host) { xensim.SetToolstack(h, "none") }})
}
