package main

import (
	"fmt"
	"io"
)

// runRepl is replaced by the REPL helper's implementation (interp/repl).
func runRepl(g *globals, file string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "vrun repl: not built yet")
	return 1
}
