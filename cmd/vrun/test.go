package main

import (
	"context"
	"fmt"
	"io"
	"regexp"

	"github.com/spf13/pflag"

	"github.com/vrun-dev/vrun/interp/vtest"
)

// cmdTest is `vrun test [-v] [-run REGEXP] [PATTERN...]`.
func cmdTest(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("vrun test", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.BoolP("verbose", "v", false, "print every test's name and output")
	runPat := fs.String("run", "", "run only the tests whose name matches this regular expression")
	parallel := fs.Int("parallel", 0, "how many tests run at once (0: one per CPU)")
	// go test spells them -v and -run: accept a single dash for -run too.
	for i, a := range args {
		if a == "-run" || len(a) > 5 && a[:5] == "-run=" {
			args[i] = "-" + a
		}
	}
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(stdout, "usage: vrun test [-v] [-run REGEXP] [PATTERN...]\n\nruns the test_* functions of *_test.star files (PATTERN: a file, DIR, DIR/... or a glob; default ./...), each in a fresh simulated world\n\n%s", fs.FlagUsages())
			return 0
		}
		return usageError(stderr, err)
	}
	o := vtest.Options{Verbose: *verbose, Out: stdout, Parallel: *parallel}
	if *runPat != "" {
		re, err := regexp.Compile(*runPat)
		if err != nil {
			return usageError(stderr, fmt.Errorf("-run %q: %v", *runPat, err))
		}
		o.Run = re
	}
	files, err := vtest.Files(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "vrun test: %v\n", err)
		return 2
	}
	if !vtest.Run(context.Background(), files, o) {
		return 1
	}
	return 0
}
