package main

import (
	"fmt"
	"io"
)

// runSim is replaced by the CloudStack helper's implementation.
func runSim(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "vrun sim: not built yet")
	return 1
}
