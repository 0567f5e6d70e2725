package main

import (
	"fmt"
	"io"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/vtest"
)

// cmdCheck is `vrun check [--strict] FILE...`: every problem as
// file:line:col, exit 2 if any. Lint warnings are printed and fail only
// with --strict: an unused variable does not make a recipe wrong.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	strict := false
	var files []string
	for i, a := range args {
		switch {
		case a == "--": // the rest are files, even one named --strict
			files = append(files, args[i+1:]...)
		case a == "--strict":
			strict = true
			continue
		case a == "-h" || a == "--help":
			fmt.Fprintln(stdout, "usage: vrun check [--strict] FILE.star...\n\nParses and resolves each file and what it loads, checks loaded names, builtin\nmodule members and literal jq filters; prints file:line:col: message per problem\nand exits 2 if there is any. Nothing runs.\n\nbuildifier's lint warnings that apply to recipes (unused variables and loads,\nredefined globals, unsorted loads, unreachable code...) are printed as\nfile:line:col: warning: message (name); they fail the check only with\n--strict. A comment \"# buildifier: disable=NAME\" on the line silences one.")
			return 0
		case len(a) > 1 && a[0] == '-':
			fmt.Fprintf(stderr, "vrun check: unknown flag %s (a file whose name starts with - goes after --)\n", interp.Escape(a))
			return 2
		default:
			files = append(files, a)
			continue
		}
		break
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "vrun check: missing FILE.star")
		return 2
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
	warnings := in.LintFiles(files)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", w.Pos, interp.Escape(w.Msg))
	}
	if len(problems) > 0 || strict && len(warnings) > 0 {
		fmt.Fprintf(stderr, "vrun check: %d problem(s), %d warning(s)\n", len(problems), len(warnings))
		return 2
	}
	if len(warnings) > 0 {
		fmt.Fprintf(stderr, "vrun check: %d warning(s) (--strict makes them fail)\n", len(warnings))
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	return 0
}
