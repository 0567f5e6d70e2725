package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vrun-dev/vrun/interp"
)

const newRecipe = `"""%[1]s: what this recipe does, in one line."""

def main(name = "world"):
    """Greet name (replace with what the recipe does).

    name: who to greet
    """
    return "hello, %%s" %% name
`

const newTest = `load("%[1]s.star", "main")

def test_main():
    assert.eq(main(name = "vrun"), "hello, vrun")
    assert.eq(sim.log().commands, [])
`

// cmdNew is `vrun new NAME`: NAME.star and NAME_test.star that pass vrun
// check, vrun fmt -d and vrun test as written. It never overwrites.
func cmdNew(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: vrun new NAME   writes NAME.star (a recipe) and NAME_test.star (its test)")
		return 2
	}
	dir, base := filepath.Split(strings.TrimSuffix(args[0], ".star"))
	if !regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`).MatchString(base) {
		fmt.Fprintf(stderr, "vrun new: %q: want a name of letters, digits, _ and - (not starting with -)\n", interp.Escape(base))
		return 2
	}
	recipe := filepath.Join(dir, base+".star")
	test := filepath.Join(dir, base+"_test.star")
	for _, p := range []string{recipe, test} {
		if _, err := os.Lstat(p); err == nil {
			fmt.Fprintf(stderr, "vrun new: %s exists; not overwriting it\n", interp.Escape(p))
			return 1
		}
	}
	for p, text := range map[string]string{recipe: fmt.Sprintf(newRecipe, base), test: fmt.Sprintf(newTest, base)} {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.WriteString(text)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "vrun new: %s\n", interp.Escape(err.Error()))
			return 1
		}
	}
	fmt.Fprintf(stdout, "wrote %s and %s (vrun test %s)\n", recipe, test, test)
	return 0
}
