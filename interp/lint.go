package interp

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bazelbuild/buildtools/build"
	"github.com/bazelbuild/buildtools/edit"
	"github.com/bazelbuild/buildtools/warn"
	"go.starlark.net/syntax"
)

// LintWarnings are buildifier's warnings that apply to recipes. The rest
// are about Bazel's rules, its docstring layout ("Args:") or style that
// recipes do not follow (return-value misreads a loop that always returns).
var LintWarnings = []string{
	"confusing-name",     // l, I, O as names
	"load",               // a loaded name that is not used
	"no-effect",          // an expression statement that does nothing
	"redefined-variable", // a global assigned twice
	"uninitialized",      // a local read before every path assigned it
	"unreachable",        // code after return, fail(), break, continue
	"unused-variable",    // a local assigned and never read
}

// outOfOrderLoad is vrun's name (buildifier's former warning) for loads
// that are not in the order `vrun fmt` puts them in.
const outOfOrderLoad = "out-of-order-load"

// Lint returns buildifier's LintWarnings for one file, and out-of-order-load
// for loads `vrun fmt` would reorder, as file:line:col problems whose
// message ends with the warning's name. A `# buildifier: disable=NAME`
// comment on the line (or on a statement around it) silences one. src must already parse (Check reports
// syntax errors); a file that does not gives no warnings.
func Lint(path string, src []byte) []Problem {
	f, err := build.ParseDefault(path, src)
	if err != nil {
		return nil
	}
	var out []Problem
	pos := func(line, col int) syntax.Position { return syntax.MakePosition(&path, int32(line), int32(col)) }
	off := disabledLines(f)
	for _, name := range LintWarnings {
		for _, w := range warn.FileWarningMap[name](f) {
			if off.covers(name, w.Start.Line) {
				continue
			}
			// The first line: the rest is Bazel's advice (re-exports, @unused).
			msg, _, _ := strings.Cut(w.Message, "\n")
			out = append(out, Problem{Pos: pos(w.Start.Line, w.Start.LineRune), Msg: fmt.Sprintf("%s (%s)", strings.TrimSpace(msg), name)})
		}
	}
	if p, ok := unsortedLoad(f, path, src); ok {
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return out
}

// unsortedLoad finds the first load that the formatter's rewrite moves,
// comparing the loads' order before and after it: the order is exactly
// the one `vrun fmt` writes.
func unsortedLoad(f *build.File, path string, src []byte) (Problem, bool) {
	sorted, err := build.ParseDefault(path, src)
	if err != nil {
		return Problem{}, false
	}
	build.Rewrite(sorted)
	have, want := loads(f), loads(sorted)
	if len(have) != len(want) { // same-origin loads merged: not an order problem
		return Problem{}, false
	}
	for i := range have {
		if have[i].Module.Value == want[i].Module.Value {
			continue
		}
		if disabledLines(f).covers(outOfOrderLoad, have[i].Load.Line) {
			return Problem{}, false
		}
		p := syntax.MakePosition(&path, int32(have[i].Load.Line), int32(have[i].Load.LineRune))
		return Problem{Pos: p, Msg: fmt.Sprintf("load of %q should come after %q, as vrun fmt sorts loads (%s)",
			have[i].Module.Value, want[i].Module.Value, outOfOrderLoad)}, true
	}
	return Problem{}, false
}

// lineRanges are, per warning, the line ranges of the nodes whose comments
// disable it ("# buildifier: disable=NAME"). buildifier's own check
// (warn.DisabledWarning) walks the whole file per finding: a generated
// file with 20000 findings took a minute.
type lineRanges map[string][][2]int

func disabledLines(f *build.File) lineRanges {
	r := lineRanges{}
	build.Walk(f, func(x build.Expr, _ []build.Expr) {
		if x == nil {
			return
		}
		c := x.Comment()
		if len(c.Before)+len(c.Suffix)+len(c.After) == 0 {
			return
		}
		start, end := x.Span()
		if len(c.Before) > 0 {
			start, _ = c.Before[0].Span()
		}
		if len(c.After) > 0 {
			_, end = c.After[len(c.After)-1].Span()
		}
		for _, name := range append(LintWarnings[:len(LintWarnings):len(LintWarnings)], outOfOrderLoad) {
			if edit.ContainsDisableComment(x, name) {
				r[name] = append(r[name], [2]int{start.Line, end.Line})
			}
		}
	})
	return r
}

func (r lineRanges) covers(name string, line int) bool {
	for _, lr := range r[name] {
		if lr[0] <= line && line <= lr[1] {
			return true
		}
	}
	return false
}

func loads(f *build.File) []*build.LoadStmt {
	var out []*build.LoadStmt
	for _, s := range f.Stmt {
		if l, ok := s.(*build.LoadStmt); ok {
			out = append(out, l)
		}
	}
	return out
}

// LintFiles lints the files and, transitively, the files they load by a
// relative path (the recipe's own repository); @stdlib// and named
// libraries are someone else's to keep clean. A file that cannot be read
// is left to Check.
func (in *Interp) LintFiles(paths []string) []Problem {
	seen := map[string]bool{}
	var out []Problem
	var walk func(path string)
	walk = func(path string) {
		if seen[canonical(path)] {
			return
		}
		seen[canonical(path)] = true
		src, err := in.ReadFile(path)
		if err != nil {
			return
		}
		out = append(out, Lint(path, src)...)
		f, err := build.ParseDefault(path, src)
		if err != nil {
			return
		}
		for _, l := range loads(f) {
			if m := l.Module.Value; m != "" && m[0] != '@' {
				if !filepath.IsAbs(m) {
					m = filepath.Join(filepath.Dir(path), m)
				}
				walk(m)
			}
		}
	}
	for _, p := range paths {
		walk(p)
	}
	return out
}
