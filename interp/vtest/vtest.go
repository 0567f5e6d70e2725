// Package vtest is `vrun test`: it runs the test_* functions of
// *_test.star files, each in a fresh simulated world, in parallel, and
// reports like `go test`.
package vtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/interp"
)

// Options tune a run.
type Options struct {
	Run      *regexp.Regexp // only tests whose name matches (nil: all)
	Verbose  bool           // -v: every test's name and output
	Out      io.Writer
	Parallel int // 0: GOMAXPROCS
	Timeout  time.Duration
}

// test is one test_* function of a file, and how it went.
type test struct {
	file, name string
	failure    string // "" when it passed
	output     bytes.Buffer
	dur        time.Duration
}

// Files expands patterns: a file, a directory (its *_test.star), DIR/...
// (recursively), or a glob. No pattern means "./...".
func Files(patterns []string) ([]string, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	seen := map[string]bool{}
	var files []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	for _, p := range patterns {
		var matches []string
		var err error
		switch st, serr := os.Stat(p); {
		case strings.HasSuffix(p, "/..."):
			matches, err = doublestar.FilepathGlob(filepath.Join(strings.TrimSuffix(p, "/..."), "**", "*_test.star"))
		case serr == nil && st.IsDir():
			matches, err = filepath.Glob(filepath.Join(p, "*_test.star"))
		case serr == nil:
			matches = []string{p}
		default:
			matches, err = doublestar.FilepathGlob(p)
		}
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %v", p, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("no test files match %q (want FILE_test.star, DIR, DIR/... or a glob)", p)
		}
		for _, m := range matches {
			add(m)
		}
	}
	return files, nil
}

// testNames lists a file's top-level test_* functions, in file order.
func testNames(file string) ([]string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	f, err := interp.FileOptions().Parse(file, src, 0)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range f.Stmts {
		if d, ok := s.(*syntax.DefStmt); ok && strings.HasPrefix(d.Name.Name, "test_") {
			names = append(names, d.Name.Name)
		}
	}
	return names, nil
}

// Run runs the tests of files and prints a report; it returns false if
// any test failed (or a file could not be read).
func Run(ctx context.Context, files []string, o Options) bool {
	if o.Parallel <= 0 {
		o.Parallel = runtime.GOMAXPROCS(0)
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	broken := 0 // files that do not parse
	var tests []*test
	for _, f := range files {
		names, err := testNames(f)
		if err != nil {
			fmt.Fprintf(o.Out, "--- FAIL: %s\n    %s\n", f, indent(interp.Render(err)))
			broken++
			continue
		}
		if len(names) == 0 {
			fmt.Fprintf(o.Out, "?   %s [no test_* functions]\n", f)
		}
		for _, n := range names {
			if o.Run == nil || o.Run.MatchString(n) {
				tests = append(tests, &test{file: f, name: n})
			}
		}
	}
	start := time.Now()
	sem := make(chan struct{}, o.Parallel)
	var wg sync.WaitGroup
	for _, t := range tests {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			runOne(ctx, t, o.Timeout)
		}()
	}
	wg.Wait()
	sort.SliceStable(tests, func(i, j int) bool { return tests[i].file < tests[j].file })
	failed := 0
	for _, t := range tests {
		if t.failure != "" {
			failed++
		}
		if !o.Verbose && t.failure == "" {
			continue
		}
		if o.Verbose {
			fmt.Fprintf(o.Out, "=== RUN   %s\n", t.name)
		}
		if t.output.Len() > 0 && (o.Verbose || t.failure != "") {
			fmt.Fprintf(o.Out, "    %s\n", indent(strings.TrimRight(t.output.String(), "\n")))
		}
		status := "PASS"
		if t.failure != "" {
			status = "FAIL"
		}
		fmt.Fprintf(o.Out, "--- %s: %s (%s) (%.2fs)\n", status, t.name, t.file, t.dur.Seconds())
		if t.failure != "" {
			fmt.Fprintf(o.Out, "    %s\n", indent(t.failure))
		}
	}
	if failed > 0 || broken > 0 {
		fmt.Fprintf(o.Out, "FAIL\t%d of %d tests failed in %d files", failed, len(tests), len(files))
		if broken > 0 {
			fmt.Fprintf(o.Out, "; %d files could not be read", broken)
		}
		fmt.Fprintf(o.Out, " (%.2fs)\n", time.Since(start).Seconds())
		return false
	}
	fmt.Fprintf(o.Out, "ok\t%d tests in %d files (%.2fs)\n", len(tests), len(files), time.Since(start).Seconds())
	return true
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }

// runOne runs a test: the file's top level, then the function, on a
// fresh simulated host with a fast clock.
func runOne(ctx context.Context, t *test, timeout time.Duration) {
	begin := time.Now()
	defer func() { t.dur = time.Since(begin) }()
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("%s timed out after %s", t.name, timeout))
	defer cancel()
	h, err := builtins.NewSimHost(builtins.All())
	if err != nil {
		t.failure = err.Error()
		return
	}
	f := &faulty{host: h, fails: map[string]exec.Result{}}
	var out lockedBuffer
	out.b = &t.output
	in, err := interp.New(interp.Options{
		Ctx: ctx, Stdout: &out, Stderr: &out, SimHost: h, Exec: f,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6),
	})
	if err != nil {
		t.failure = err.Error()
		return
	}
	in.Predeclared["sim"] = simModule(f)
	th := in.Thread(t.file)
	g, err := in.ExecFile(th, t.file, nil)
	if err == nil {
		fn, _ := g[t.name].(starlark.Callable)
		if fn == nil {
			err = fmt.Errorf("%s is not a function", t.name)
		} else {
			_, err = starlark.Call(th, fn, nil, nil)
		}
	}
	if err != nil {
		t.failure = failure(t.file, err)
	}
}

// failure renders err as "file:line: message", at the innermost line of
// the test file (where the assertion is), then the full backtrace's
// frames outside the test file.
func failure(file string, err error) string {
	var ee *starlark.EvalError
	if !errors.As(err, &ee) {
		return interp.Render(err)
	}
	at, deeper := "", false
	for _, fr := range ee.CallStack {
		switch {
		case fr.Pos.Filename() == file:
			at, deeper = fmt.Sprintf("%s:%d", file, fr.Pos.Line), false
		case fr.Pos.Filename() != "<builtin>":
			deeper = true
		}
	}
	if at == "" {
		return interp.Render(err)
	}
	if !deeper { // the failing line says it all
		return fmt.Sprintf("%s: %s", at, ee.Msg)
	}
	return fmt.Sprintf("%s: %s\n%s", at, ee.Msg, strings.TrimSpace(ee.CallStack.String()))
}

// lockedBuffer collects a test's print() output from its threads.
type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
