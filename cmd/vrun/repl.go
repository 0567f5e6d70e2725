package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/repl"
)

// runRepl is `vrun repl [global flags] [FILE.star]`. Ctrl-C cancels only
// the running statement, so the session has its own context (ended by
// SIGTERM) instead of g.context(); --timeout limits each statement.
func runRepl(g *globals, file string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	watchMemory(ctx, g.limits, cancel, stderr)
	in, err := interp.New(g.options(ctx, stdout, stderr))
	if err != nil {
		fmt.Fprintf(stderr, "vrun: %v\n", err)
		return 1
	}

	interactive := isTerminal(stdout) && isTerminalReader(stdin)
	o := repl.Options{
		Interp: in, Stdout: stdout, Stderr: stderr,
		Interactive: interactive, Color: interactive && g.useColor(stderr),
		StatementTimeout: g.timeout,
	}
	var s *repl.Session
	if interactive {
		if path, err := repl.HistoryPath(); err != nil {
			fmt.Fprintf(stderr, "vrun repl: no history: %v\n", err)
		} else {
			o.HistoryFile = path
			if o.History, err = repl.LoadHistory(path); err != nil {
				fmt.Fprintf(stderr, "vrun repl: history: %v\n", err)
			}
		}
		r := repl.NewTerminalReader(func(line string, pos int) (string, []string, string) {
			return s.Complete(line, pos)
		}, o.History)
		defer r.Close()
		o.Reader = r
	} else {
		o.Reader = repl.NewPlainReader(stdin)
	}
	s = repl.New(o)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer func() { signal.Stop(sigs); close(sigs) }()
	go func() {
		for sig := range sigs {
			// Ctrl-C stops the running statement. With none running, an
			// interactive session keeps it for a statement about to begin
			// (Enter then Ctrl-C); a piped session ends, as on SIGTERM:
			// exit 130.
			if sig == os.Interrupt && (s.Interrupt() || interactive) {
				continue
			}
			cancel(interp.ErrInterrupted)
		}
	}()

	if file != "" {
		if err := s.LoadFile(file); err != nil {
			fmt.Fprintln(stderr, interp.Render(err))
			return interp.ExitCode(ctx, &interp.StaticError{Err: err})
		}
	}
	if interactive && !g.quiet {
		where := "this host"
		if g.sim {
			where = "the simulator (nothing real is touched)"
		}
		fmt.Fprintf(stdout, "vrun repl on %s: help() for builtins, :help for commands, Ctrl-D to leave\n", where)
	}
	return s.Run()
}

// isTerminalReader: line editing works on the process's own stdin only.
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && f.Fd() == os.Stdin.Fd() && isTerminal(f)
}
