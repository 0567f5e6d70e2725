package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/interp"
)

// runRecipe runs FILE with its flags and prints main's result.
func runRecipe(g *globals, file string, args []string, stdout, stderr io.Writer) int {
	return runWith(g, file, args, runMode{}, stdout, stderr)
}

// runWith runs FILE, keeping its steps' journal as m says (journal.go).
func runWith(g *globals, file string, args []string, m runMode, stdout, stderr io.Writer) int {
	if err := g.validate(); err != nil {
		return usageError(stderr, err)
	}
	ctx, stop := g.context(stderr)
	defer stop()
	in, err := interp.New(g.options(ctx, stdout, stderr))
	if err != nil {
		var ue *interp.UsageError
		if errors.As(err, &ue) {
			return usageError(stderr, err)
		}
		fmt.Fprintf(stderr, "vrun: %v\n", err)
		return 1
	}
	defer in.Close()
	// With --output json, stdout carries the result alone; events are JSON
	// lines on stderr.
	in.Env.JSONEvents = g.output == "json"
	jr, code := openJournal(g, in, file, args, m, stderr)
	if code != 0 {
		return code
	}
	v, err := in.RunRecipe(file, args)
	err = endJournal(g, in, jr, m, err, stderr)
	var help *interp.HelpRequested
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.Text)
		return 0
	}
	// After on(): one line per host, and exit 1 when any failed.
	hostFailed := in.Recap(stderr)
	// The world is saved after a failure too: a re-run rehearses on what
	// the failed run left, as it would on the real host.
	if serr := in.SaveWorld(); serr != nil {
		fmt.Fprintf(stderr, "vrun: %v\n", serr)
		if err == nil {
			return 1
		}
	}
	if err != nil {
		code := interp.ExitCode(ctx, err)
		msg := interp.Render(err)
		var ue *interp.UsageError
		if errors.As(err, &ue) {
			msg = "vrun: " + msg + globalFlagHint(args)
		}
		switch code {
		case 130:
			fmt.Fprintln(stderr, "vrun: interrupted; the recipe stopped here:")
		case 3:
			fmt.Fprintf(stderr, "vrun: timed out after %s (--timeout); the recipe stopped here:\n", g.timeout)
		}
		// The backtrace says where it stopped; an interrupted CloudStack wait
		// names its job and how to re-attach.
		fmt.Fprintln(stderr, paint(g.useColor(stderr), msg))
		if g.output == "json" {
			out, _ := json.Marshal(map[string]any{"error": msg, "exit_code": code})
			fmt.Fprintf(stdout, "%s\n", out)
		}
		return code
	}
	if err := printResult(g, stdout, v); err != nil {
		fmt.Fprintf(stderr, "vrun: %s\n", interp.Escape(err.Error()))
		return 1
	}
	if hostFailed {
		return 1
	}
	return 0
}

func printResult(g *globals, w io.Writer, v starlark.Value) error {
	if g.output == "json" {
		if v == nil {
			v = starlark.None
		}
		b, err := interp.JSON(v)
		if err != nil {
			return fmt.Errorf("--output json: %v", err)
		}
		w.Write(b)
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

// globalFlagHint explains the usual cause of an unknown recipe flag: a
// global flag (-q, --sim, ...) written after FILE.
func globalFlagHint(args []string) string {
	var g globals
	fs := newFlagSet("vrun", &g, io.Discard)
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name == "" || name == "h" || name == "help" {
			continue
		}
		if (strings.HasPrefix(a, "--") && fs.Lookup(name) != nil) || (!strings.HasPrefix(a, "--") && len(name) == 1 && fs.ShorthandLookup(name) != nil) {
			return fmt.Sprintf("\n%s is a global flag: put it before the recipe (vrun %s FILE.star ...)", a, a)
		}
	}
	return ""
}
