// Command vrun runs Starlark recipes for operators of virtualization
// infrastructure. See README.md and `vrun help`.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
