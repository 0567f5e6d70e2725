package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// runRecipe runs FILE with its flags and prints main's result.
func runRecipe(g *globals, file string, args []string, stdout, stderr io.Writer) int {
	if err := g.validate(); err != nil {
		return usageError(stderr, err)
	}
	ctx, stop := g.context()
	defer stop()
	in := interp.New(g.options(ctx, stdout, stderr))
	v, err := in.RunRecipe(file, args)
	var help *interp.HelpRequested
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.Text)
		return 0
	}
	if err != nil {
		code := interp.ExitCode(ctx, err)
		switch code {
		case 130:
			fmt.Fprintln(stderr, "vrun: interrupted")
		case 3:
			fmt.Fprintf(stderr, "vrun: timed out after %s (--timeout)\n", g.timeout)
		}
		if code != 130 && code != 3 || g.verbose {
			fmt.Fprintln(stderr, paint(g.useColor(stderr), interp.Render(err)))
		}
		return code
	}
	if err := printResult(g, stdout, v); err != nil {
		fmt.Fprintf(stderr, "vrun: %v\n", err)
		return 1
	}
	return 0
}

func printResult(g *globals, w io.Writer, v starlark.Value) error {
	if g.output == "json" {
		x, err := starutil.FromValue(v)
		if err != nil {
			return fmt.Errorf("--output json: %v", err)
		}
		b, err := json.MarshalIndent(x, "", "  ")
		if err != nil {
			return fmt.Errorf("--output json: %v", err)
		}
		fmt.Fprintf(w, "%s\n", b)
		return nil
	}
	if v == nil || v == starlark.None {
		return nil
	}
	if s, ok := v.(starlark.String); ok {
		fmt.Fprintln(w, string(s))
		return nil
	}
	fmt.Fprintln(w, interp.Pretty(v, 0))
	return nil
}

// paint colours an error message red when colour is on.
func paint(on bool, msg string) string {
	if !on {
		return msg
	}
	return "\x1b[31m" + msg + "\x1b[0m"
}
