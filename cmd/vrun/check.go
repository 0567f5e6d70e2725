package main

import (
	"fmt"
	"io"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/vtest"
)

// cmdCheck is `vrun check FILE...`: every problem as file:line:col, exit 2
// if any.
func cmdCheck(files []string, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "vrun check: missing FILE.star")
		return 2
	}
	for _, f := range files {
		if f == "-h" || f == "--help" {
			fmt.Fprintln(stdout, "usage: vrun check FILE.star...\n\nParses and resolves each file and what it loads, checks loaded names, builtin\nmodule members and literal jq filters; prints file:line:col: message per problem\nand exits 2 if there is any. Nothing runs.")
			return 0
		}
	}
	in, err := interp.New(interp.Options{Stdout: stdout, Stderr: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "vrun: %v\n", err)
		return 1
	}
	in.TestPredeclared = vtest.Predeclared()
	problems := in.Check(files)
	for _, p := range problems {
		fmt.Fprintln(stderr, interp.Escape(fmt.Sprint(p)))
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "vrun check: %d problem(s)\n", len(problems))
		return 2
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	return 0
}
