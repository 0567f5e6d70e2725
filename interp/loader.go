package interp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/stdlib"
)

const stdlibPrefix = "@stdlib//"

// loader resolves load() statements: "@stdlib//x.star" from the embedded
// library, "@name//x.star" from a named library (vrun.yaml, $VRUN_PATH),
// anything else relative to the directory of the loading file.
// Each file is executed once per run; cycles are reported with the chain.
type loader struct {
	in    *Interp
	cache map[string]*loadEntry
	stack []string // files being loaded, for cycle messages
	root  string   // where vrun.yaml is looked for: the recipe's directory ("" = cwd)
}

type loadEntry struct {
	globals starlark.StringDict
	err     error
	done    bool
}

func newLoader(in *Interp) *loader {
	return &loader{in: in, cache: map[string]*loadEntry{}}
}

// markRoot records the main file so loading it back is seen as a cycle.
func (l *loader) markRoot(path string) {
	l.stack = []string{canonical(path)}
	l.root = filepath.Dir(path)
}

func canonical(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func (l *loader) load(th *starlark.Thread, module string) (starlark.StringDict, error) {
	from := ""
	if th.CallStackDepth() > 0 {
		from = th.CallFrame(0).Pos.Filename()
	}
	key, display, src, err := l.resolve(from, module)
	if err != nil {
		return nil, err
	}
	if e, ok := l.cache[key]; ok {
		if !e.done {
			return nil, fmt.Errorf("load cycle: %s", l.chain(key))
		}
		return e.globals, e.err
	}
	for _, s := range l.stack {
		if s == key {
			return nil, fmt.Errorf("load cycle: %s", l.chain(key))
		}
	}
	e := &loadEntry{}
	l.cache[key] = e
	l.stack = append(l.stack, key)
	child := l.in.Thread(display)
	e.globals, e.err = starlark.ExecFileOptions(FileOptions(), child, display, src, l.in.Predeclared)
	l.stack = l.stack[:len(l.stack)-1]
	e.done = true
	return e.globals, e.err
}

func (l *loader) chain(key string) string {
	names := []string{}
	for _, s := range l.stack {
		names = append(names, filepath.Base(s))
	}
	return strings.Join(append(names, filepath.Base(key)), " -> ")
}

// resolve returns the cache key, the name shown in messages, and the source.
func (l *loader) resolve(from, module string) (key, display string, src []byte, err error) {
	if name, ok := strings.CutPrefix(module, stdlibPrefix); ok {
		src, err := stdlib.FS.ReadFile(name)
		if err != nil {
			return "", "", nil, fmt.Errorf("no %s in the standard library (have: %s)", module, stdlibNames())
		}
		return module, module, src, nil
	}
	path := module
	if strings.HasPrefix(module, "@") {
		root := l.root
		if root == "" {
			root = "."
		}
		if path, err = resolveNamed(l.in.Env.Context(), module, root); err != nil {
			return "", "", nil, err
		}
	} else if !filepath.IsAbs(path) {
		base := "."
		if from != "" && !strings.HasPrefix(from, stdlibPrefix) {
			base = filepath.Dir(from)
		}
		path = filepath.Join(base, module)
	}
	src, err = l.in.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return "", "", nil, fmt.Errorf("no file %s", path) // starlark prefixes "cannot load MODULE: "
		}
		return "", "", nil, err
	}
	return canonical(path), path, src, nil
}

func stdlibNames() string {
	entries, _ := stdlib.FS.ReadDir(".")
	names := []string{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".star") {
			names = append(names, stdlibPrefix+e.Name())
		}
	}
	return strings.Join(names, ", ")
}
