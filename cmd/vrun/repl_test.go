package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// replIn runs `vrun repl` in-process on piped input.
func replIn(t *testing.T, g *globals, input string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	var out, errs bytes.Buffer
	code = runRepl(g, "", strings.NewReader(input), &out, &errs)
	return code, out.String(), errs.String()
}

func TestReplPipedPrintsResultsOnly(t *testing.T) {
	code, out, errs := replIn(t, &globals{}, "x = 1 + 2\nx\n")
	if code != 0 || out != "3\n" || errs != "" {
		t.Errorf("code %d, stdout %q, stderr %q; want 0, \"3\\n\", nothing", code, out, errs)
	}
}

func TestReplPipedFailureExitCode(t *testing.T) {
	code, out, errs := replIn(t, &globals{sim: true, simSpeed: 1e6}, "run('false')\nprint('still here')\n")
	if code != 1 || out != "still here\n" || !strings.Contains(errs, "rc 1") {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestReplScripts runs the REPL's CLI scenarios (interp/repl/testdata/script)
// through the in-process vrun of TestMain.
func TestReplScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "../../interp/repl/testdata/script"})
}
