package builtins_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Builtins sit below the interpreter: no package under builtins/ imports
// interp (its host), so targets, the simulator and the modules can be used
// and tested without it. Tests may use interp to run recipes.
func TestBuiltinsDoNotImportInterp(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/vrun-dev/vrun/interp" || strings.HasPrefix(p, "github.com/vrun-dev/vrun/interp/") {
				t.Errorf("%s imports %s: builtins must not import the interpreter", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
