package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/stdlib"
)

// cmdDoc is `vrun doc [MODULE | MODULE.NAME | FILE.star]`: for a recipe,
// its usage and flags, then its other public functions.
func cmdDoc(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "vrun doc: at most one MODULE, MODULE.NAME or FILE.star")
		return 2
	}
	entries := builtins.All()
	if len(args) == 0 {
		for _, e := range entries {
			printModule(stdout, e.Module)
		}
		libs, _ := stdlib.FS.ReadDir(".")
		fmt.Fprintln(stdout, "standard library (load(\"@stdlib//NAME.star\", ...); vrun doc @stdlib//NAME.star):")
		for _, l := range libs {
			fmt.Fprintf(stdout, "  @stdlib//%s\n", l.Name())
		}
		return 0
	}
	name := args[0]
	if strings.HasPrefix(name, "@stdlib//") {
		text, err := interp.LibraryDoc(name, nil)
		if err != nil {
			fmt.Fprintf(stderr, "vrun doc: %v\n", err)
			return 2
		}
		fmt.Fprint(stdout, text)
		return 0
	}
	if strings.HasPrefix(name, "@") {
		path, err := interp.ResolveLibrary(context.Background(), name, ".")
		if err != nil {
			fmt.Fprintf(stderr, "vrun doc: %s\n", interp.Escape(err.Error()))
			return 2
		}
		return docLibrary(name, path, stdout, stderr)
	}
	if strings.HasSuffix(name, ".star") || fileExists(name) {
		src, err := env.ReadFile(context.Background(), name, env.DefaultMaxRead)
		if err != nil {
			fmt.Fprintf(stderr, "vrun doc: %s\n", interp.Escape(err.Error()))
			return 2
		}
		r, err := interp.ReadRecipe(context.Background(), name, src)
		if err != nil {
			fmt.Fprintln(stderr, interp.Render(err))
			return 2
		}
		if !r.HasMain { // a library: its public functions
			return docLibrary(name, name, stdout, stderr)
		}
		funcs, err := interp.RecipeFunctionsDoc(name, src)
		if err != nil {
			fmt.Fprintln(stderr, interp.Render(err))
			return 2
		}
		fmt.Fprint(stdout, interp.Escape(r.Help()+funcs)) // a docstring's ESC must not reach the terminal
		return 0
	}
	for _, e := range entries {
		if e.Module.Name != "" && e.Module.Name == name {
			printModule(stdout, e.Module)
			return 0
		}
	}
	var found []starutil.Doc
	for _, d := range builtins.Docs(entries) {
		if d.Name == name || strings.HasPrefix(d.Name, name+".") {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		fmt.Fprintf(stderr, "vrun doc: no builtin or module named %q (see: vrun doc)\n", name)
		return 2
	}
	if len(found) == 1 && found[0].Name == name {
		fmt.Fprintf(stdout, "%s\n    %s\n", found[0].Signature(), found[0].Doc)
		return 0
	}
	printDocs(stdout, found)
	return 0
}

func printModule(w io.Writer, m *starutil.Module) {
	title := m.Name
	if title == "" {
		title = "builtins"
	}
	fmt.Fprintf(w, "%s — %s\n", title, m.Doc)
	printDocs(w, m.Docs())
	if len(m.Methods) > 0 {
		fmt.Fprintln(w, "  methods of its values:")
		printDocs(w, m.Methods)
	}
	fmt.Fprintln(w)
}

func printDocs(w io.Writer, docs []starutil.Doc) {
	// Align docs after the signatures; a long signature gets its doc on the
	// next line instead of pushing every other doc off the screen.
	const maxCol = 48
	col := 0
	for _, d := range docs {
		if n := len(d.Signature()); n <= maxCol && n > col {
			col = n
		}
	}
	for _, d := range docs {
		sig := d.Signature()
		if len(sig) > col {
			fmt.Fprintf(w, "  %s\n  %*s  %s\n", sig, col, "", d.Doc)
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", col, sig, d.Doc)
	}
}

// docLibrary prints a library file's docstring and public functions.
func docLibrary(name, path string, stdout, stderr io.Writer) int {
	src, err := env.ReadFile(context.Background(), path, env.DefaultMaxRead)
	if err == nil {
		var text string
		if text, err = interp.LibraryDoc(name, src); err == nil {
			fmt.Fprint(stdout, interp.Escape(text))
			return 0
		}
	}
	fmt.Fprintf(stderr, "vrun doc: %s\n", interp.Escape(err.Error()))
	return 2
}
