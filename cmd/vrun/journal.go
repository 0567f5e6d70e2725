package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/journal"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// journalFlags are the step journal's global flags.
type journalFlags struct {
	file          string
	undoOnFailure bool
}

func (f *journalFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.file, "journal", "", "keep the steps' journal in this file (default .vrun/journal/<recipe>-<params hash>.json next to --sim-state, or in the current directory; in memory under --sim alone)")
	fs.BoolVar(&f.undoOnFailure, "undo-on-failure", false, "when a step fails, undo the steps done so far, last first (destructive undos still need --yes)")
}

// runMode is how a run treats the journal.
type runMode struct {
	mode  journal.Mode
	undo  *journal.Journal // vrun undo: the journal to take back
	label string
}

// openJournal sets up the journal of a run of file with args and attaches
// it to in. It returns an exit code and prints why when the run must not go on.
func openJournal(g *globals, in *interp.Interp, file string, args []string, m runMode, stderr io.Writer) (*journal.Journal, int) {
	if m.undo != nil {
		m.undo.SetMode(journal.Replay)
		journal.Attach(in.Env, m.undo)
		return m.undo, 0
	}
	params, ok := recipeParams(in, file, args)
	if !ok { // --help or a parameter error: the run itself reports it
		j := journal.New(file, nil)
		journal.Attach(in.Env, j)
		return j, 0
	}
	abs, _ := filepath.Abs(file)
	j := journal.New(abs, params)
	j.Args = args
	path := g.jr.file
	if path == "" && (g.simState != "" || !g.sim) {
		dir := "."
		if g.simState != "" {
			dir = filepath.Dir(g.simState)
		}
		path = journal.DefaultPath(dir, file, j.Hash)
	}
	if m.mode == journal.Resume {
		if path == "" {
			fmt.Fprintln(stderr, "vrun resume: a --sim run without --sim-state keeps no world to resume in: use --sim-state FILE (or --journal FILE)")
			return nil, 2
		}
		old, err := journal.Load(path)
		if errors.Is(err, os.ErrNotExist) && g.jr.file == "" {
			return nil, noJournal(file, path, params, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "vrun resume: %s\n", interp.Escape(err.Error()))
			return nil, 2
		}
		if old.Hash != j.Hash {
			fmt.Fprintf(stderr, "vrun resume: the parameters differ from the journal's run (%s); resume with the same flags, or start afresh with vrun %s:\n%s\n",
				path, file, interp.Escape(journal.Diff(old.Params, params)))
			return nil, 2
		}
		old.Args = args
		old.SetMode(journal.Resume)
		journal.Attach(in.Env, old)
		return old, 0
	}
	if path != "" {
		if old, err := journal.Load(path); err == nil && old.Unfinished() {
			prev := path + ".prev"
			os.Rename(path, prev)
			fmt.Fprintf(stderr, "vrun: note: the journal of an unfinished run with these parameters was moved to %s (vrun resume would have gone on from it)\n", prev)
		}
		j.SetPath(path)
	}
	journal.Attach(in.Env, j)
	return j, 0
}

// noJournal explains a resume without a journal for these parameters: a
// journal of the same recipe with other parameters is shown as a difference.
func noJournal(file, path string, params map[string]any, stderr io.Writer) int {
	others, _ := filepath.Glob(strings.TrimSuffix(path, filepath.Base(path)) + strings.TrimSuffix(filepath.Base(file), ".star") + "-*.json")
	for _, o := range others {
		if old, err := journal.Load(o); err == nil && old.Unfinished() {
			fmt.Fprintf(stderr, "vrun resume: the parameters differ from the unfinished run in %s; resume with the same flags:\n%s\n",
				o, interp.Escape(journal.Diff(old.Params, params)))
			return 2
		}
	}
	fmt.Fprintf(stderr, "vrun resume: no journal %s: nothing to resume (run the recipe with vrun %s)\n", path, file)
	return 2
}

// recipeParams are main's parameters for args: the defaults, overridden by
// the flags given.
func recipeParams(in *interp.Interp, file string, args []string) (map[string]any, bool) {
	src, err := in.ReadFile(file)
	if err != nil {
		return nil, false
	}
	r, err := interp.ReadRecipe(in.Env.Context(), file, src)
	if err != nil {
		return nil, false
	}
	kwargs, err := r.ParseArgs(args)
	if err != nil {
		return nil, false
	}
	params := map[string]any{}
	for _, p := range r.Params {
		if p.Default != nil {
			params[p.Name], _ = starutil.FromValue(p.Default)
		}
	}
	for _, kv := range kwargs {
		name, _ := starlark.AsString(kv[0])
		params[name], _ = starutil.FromValue(kv[1])
	}
	return params, true
}

// endJournal records how the run ended; with --undo-on-failure (or under
// vrun undo) it takes back the steps done so far.
func endJournal(g *globals, in *interp.Interp, j *journal.Journal, m runMode, runErr error, stderr io.Writer) error {
	if j == nil {
		return runErr
	}
	if m.undo != nil {
		if runErr != nil && !errors.Is(runErr, journal.ErrReplayEnd) {
			j.Finish(m.undo.Status)
			return runErr
		}
		if err := journal.Undo(in.Thread("undo"), in.Env); err != nil {
			j.Finish("failed")
			return err
		}
		return finish(j, "undone", nil)
	}
	if runErr == nil {
		return finish(j, "done", nil)
	}
	ctx := in.Env.Context()
	switch interp.ExitCode(ctx, runErr) {
	case 2:
		return runErr
	case 130:
		return finish(j, "interrupted", runErr)
	case 3:
		return finish(j, "timed out", runErr)
	}
	if g.jr.undoOnFailure {
		fmt.Fprintln(stderr, "vrun: the run failed; undoing its steps (--undo-on-failure):")
		fmt.Fprintln(stderr, interp.Render(runErr))
		if err := journal.Undo(in.Thread("undo"), in.Env); err != nil {
			j.Finish("failed")
			return fmt.Errorf("%w\n(the run had failed: see above)", err)
		}
		return finish(j, "undone", errors.New("the run failed and its steps were undone (--undo-on-failure)"))
	}
	return finish(j, "failed", runErr)
}

func finish(j *journal.Journal, status string, err error) error {
	if ferr := j.Finish(status); ferr != nil && err == nil {
		return ferr
	}
	return err
}

// cmdJournal is `vrun resume FILE.star [recipe flags]` and `vrun undo JOURNAL`.
func cmdJournal(g *globals, name string, a []string, stdout, stderr io.Writer) int {
	if len(a) == 0 {
		fmt.Fprintf(stderr, "vrun %s: missing %s\n", name, map[string]string{"resume": "FILE.star", "undo": "JOURNAL"}[name])
		return 2
	}
	if name == "resume" {
		return runWith(g, a[0], a[1:], runMode{mode: journal.Resume}, stdout, stderr)
	}
	if len(a) > 1 {
		fmt.Fprintln(stderr, "vrun undo: one JOURNAL file, and global flags before it")
		return 2
	}
	j, err := journal.Load(a[0])
	if err != nil {
		fmt.Fprintf(stderr, "vrun undo: %s\n", interp.Escape(err.Error()))
		return 2
	}
	if j.Status == "undone" {
		fmt.Fprintf(stderr, "vrun undo: %s was undone already: nothing to do\n", a[0])
		return 0
	}
	return runWith(g, j.Recipe, j.Args, runMode{undo: j}, stdout, stderr)
}
