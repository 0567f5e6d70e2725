package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/vrun-dev/vrun/interp"
)

// runSimWorld is `vrun sim world [--sim-state FILE]`: the simulated world
// as JSON, the one kept in FILE or the default every --sim run starts from.
func runSimWorld(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("vrun sim world", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	state := fs.String("sim-state", "", "print the world kept in this file instead of the default one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "vrun sim world: unexpected argument %q\nusage: vrun sim world [--sim-state FILE]\n", fs.Arg(0))
		return 2
	}
	in, err := interp.New(interp.Options{Sim: true, SimState: *state, Stdout: stdout, Stderr: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "vrun sim world: %v\n", err)
		return 1
	}
	data, err := in.World()
	if err != nil {
		fmt.Fprintf(stderr, "vrun sim world: %v\n", err)
		return 1
	}
	stdout.Write(data)
	return 0
}
