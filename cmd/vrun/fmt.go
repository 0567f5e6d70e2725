package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/bazelbuild/buildtools/build"
	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/pflag"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// cmdFmt is `vrun fmt [-w|-d] FILE...`: buildifier's formatting of
// Starlark files. Without a flag it prints the formatted files; -w
// rewrites them in place; -d prints a diff and exits 1 if any file would
// change (for CI).
func cmdFmt(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("vrun fmt", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	write := fs.BoolP("write", "w", false, "rewrite the files in place")
	showDiff := fs.BoolP("diff", "d", false, "print a diff of the changes; exit 1 if any file is not formatted")
	if err := fs.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			fmt.Fprintf(stdout, "usage: vrun fmt [-w|-d] FILE.star...\n\nformats Starlark files as buildifier does\n\n%s", fs.FlagUsages())
			return 0
		}
		return usageError(stderr, err)
	}
	if *write && *showDiff {
		fmt.Fprintln(stderr, "vrun fmt: -w and -d exclude each other")
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		fmt.Fprintln(stderr, "vrun fmt: missing FILE.star")
		return 2
	}
	code := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "vrun fmt: %s\n", interp.Escape(err.Error()))
			code = 2
			continue
		}
		out, err := Format(name, src)
		if err != nil {
			fmt.Fprintf(stderr, "vrun fmt: %s\n", interp.Escape(err.Error()))
			code = 2
			continue
		}
		switch {
		case *write:
			if bytes.Equal(src, out) {
				continue
			}
			st, err := os.Stat(name)
			if err == nil {
				err = os.WriteFile(name, out, st.Mode().Perm())
			}
			if err != nil {
				fmt.Fprintf(stderr, "vrun fmt: %s\n", interp.Escape(err.Error()))
				code = 2
			}
		case *showDiff:
			if d := diff.Diff(name, src, name+" (formatted)", out); d != nil {
				stdout.Write(d)
				code = max(code, 1)
			}
		default:
			stdout.Write(out)
		}
	}
	return code
}

// Format formats one Starlark file with buildifier's printer. The file
// must also parse as a recipe: buildifier's parser accepts a little that
// vrun's dialect does not, and a formatter must not bless it.
func Format(name string, src []byte) ([]byte, error) {
	if _, err := starutil.FileOptions().Parse(name, src, 0); err != nil {
		return nil, err
	}
	f, err := build.ParseDefault(name, src)
	if err != nil {
		return nil, err
	}
	return build.Format(f), nil
}
