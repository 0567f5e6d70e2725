package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/vrun-dev/vrun/builtins"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

// cmdDoc is `vrun doc [MODULE | MODULE.NAME | FILE.star]`.
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
		return 0
	}
	name := args[0]
	if strings.HasSuffix(name, ".star") || fileExists(name) {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "vrun doc: %v\n", err)
			return 2
		}
		r, err := interp.ReadRecipe(name, src)
		if err != nil {
			fmt.Fprintln(stderr, interp.Render(err))
			return 2
		}
		fmt.Fprint(stdout, r.Help())
		return 0
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
	fmt.Fprintln(w)
}

func printDocs(w io.Writer, docs []starutil.Doc) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, d := range docs {
		fmt.Fprintf(tw, "  %s\t%s\n", d.Signature(), d.Doc)
	}
	tw.Flush()
}
