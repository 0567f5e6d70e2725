package core_test

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/core"
	"github.com/vrun-dev/vrun/interp/startest"
)

func TestStar(t *testing.T) { startest.Run(t, "testdata/*.star", startest.Options{}) }

func TestModulesValidate(t *testing.T) {
	for _, m := range core.Modules() {
		if err := m.Validate(); err != nil {
			t.Error(err)
		}
	}
}
