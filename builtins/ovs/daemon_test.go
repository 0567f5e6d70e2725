package ovs

import (
	"testing"

	"github.com/vrun-dev/vrun/builtins/ovs/ovstest"
)

// startOVS is userspace Open vSwitch for one test (ovstest).
func startOVS(t *testing.T) *ovstest.OVS { return ovstest.Start(t) }
