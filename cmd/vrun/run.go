package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vrun-dev/vrun/interp"
)

const usage = `usage: vrun [global flags] FILE.star [recipe flags]   run a recipe
       vrun run [global flags] FILE.star [recipe flags]
       vrun repl [--sim] [FILE.star]                     interactive session
       vrun resume [global flags] FILE.star [recipe flags]  go on from the first unfinished step
       vrun undo [global flags] JOURNAL                  undo a journal's done steps, last first
       vrun check FILE.star...                           static check
       vrun doc [MODULE | MODULE.NAME | FILE.star]       builtin, library and recipe docs
       vrun test [-v] [-run REGEXP] [PATTERN...]         run *_test.star files on the simulator
       vrun fmt [-w|-d] FILE.star...                     format as buildifier does
       vrun new NAME                                     a recipe skeleton and its test
       vrun sim cloudstack --listen ADDR [--api-key K --secret-key S]
       vrun version

exit codes: 0 ok, 1 the recipe failed, 2 usage/syntax/parameter error, 3 timeout, 130 interrupted

global flags:
`

// run is the whole CLI, testable in-process. It never lets a Go panic reach
// the user as a stack trace: the last line of defence is one line, exit 1
// (VRUN_TRACEBACK=1 adds the Go stack, for a bug report).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			msg := strings.ReplaceAll(fmt.Sprint(r), "\n", " ")
			fmt.Fprintf(stderr, "vrun: internal error: %s (a bug in vrun: please report it with the command you ran and `vrun version`)\n", interp.Escape(msg))
			if os.Getenv("VRUN_TRACEBACK") != "" {
				stderr.Write(debug.Stack())
			}
			code = 1
		}
	}()
	var g globals
	fs := newFlagSet("vrun", &g, stderr)
	showVersion := fs.Bool("version", false, "print the version")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprint(stdout, usage+fs.FlagUsages())
			return 0
		}
		return usageError(stderr, err)
	}
	if *showVersion {
		return cmdVersion(stdout)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprint(stderr, usage+fs.FlagUsages())
		return 2
	}
	switch rest[0] {
	case "run":
		return withGlobals(&g, "run", rest[1:], stderr, func(a []string) int {
			if len(a) == 0 {
				fmt.Fprintln(stderr, "vrun run: missing FILE.star")
				return 2
			}
			return runRecipe(&g, a[0], a[1:], stdout, stderr)
		})
	case "repl":
		return withGlobals(&g, "repl", rest[1:], stderr, func(a []string) int {
			if len(a) > 1 {
				fmt.Fprintln(stderr, "vrun repl: at most one FILE.star")
				return 2
			}
			file := ""
			if len(a) == 1 {
				file = a[0]
			}
			return runRepl(&g, file, stdin, stdout, stderr)
		})
	case "resume", "undo":
		return withGlobals(&g, rest[0], rest[1:], stderr, func(a []string) int { return cmdJournal(&g, rest[0], a, stdout, stderr) })
	case "check":
		return cmdCheck(rest[1:], stdout, stderr)
	case "doc":
		return cmdDoc(rest[1:], stdout, stderr)
	case "test":
		return cmdTest(rest[1:], stdout, stderr)
	case "fmt":
		return cmdFmt(rest[1:], stdout, stderr)
	case "new":
		return cmdNew(rest[1:], stdout, stderr)
	case "sim":
		return runSim(rest[1:], stdout, stderr)
	case "version":
		return cmdVersion(stdout)
	case "help":
		fmt.Fprint(stdout, usage+fs.FlagUsages())
		return 0
	}
	if strings.HasSuffix(rest[0], ".star") || fileExists(rest[0]) {
		return runRecipe(&g, rest[0], rest[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "vrun: unknown command or file %q (see: vrun help)\n", rest[0])
	return 2
}

func newFlagSet(name string, g *globals, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetInterspersed(false) // flags after FILE belong to the recipe
	fs.SetOutput(io.Discard)
	g.register(fs)
	return fs
}

// withGlobals parses global flags given after a subcommand name.
func withGlobals(g *globals, name string, args []string, stderr io.Writer, fn func([]string) int) int {
	fs := newFlagSet("vrun "+name, g, stderr)
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, err)
	}
	if err := g.validate(); err != nil {
		return usageError(stderr, err)
	}
	return fn(fs.Args())
}

func usageError(stderr io.Writer, err error) int {
	if err == pflag.ErrHelp { // `vrun run --help`: the global flags
		var g globals
		fs := newFlagSet("vrun", &g, stderr)
		fmt.Fprint(stderr, usage+fs.FlagUsages())
		return 0
	}
	fmt.Fprintf(stderr, "vrun: %s (see: vrun help)\n", interp.Escape(err.Error()))
	return 2
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// version is set at build time: go build -ldflags "-X main.version=..."
// (the Makefile uses git describe).
var version = ""

func cmdVersion(stdout io.Writer) int {
	v := version
	if bi, ok := debug.ReadBuildInfo(); v == "" && ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(stdout, "vrun %s %s\n", v, runtime.Version())
	return 0
}
