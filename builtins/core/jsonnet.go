package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-jsonnet"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

func jsonnetFuncs() []starutil.Func {
	return []starutil.Func{
		{Name: "jsonnet", Params: "(source = None, file = None, ext_vars = {}, tla = {})", Impl: jsonnetEval,
			Doc: "Evaluates Jsonnet source or a local file (relative to the recipe) to a value; string vars pass as strings, others as JSON code."},
	}
}

func jsonnetEval(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var source, file string
	extVars, tla := new(starlark.Dict), new(starlark.Dict)
	if err := starutil.Unpack(b, args, kwargs,
		"source??", &source, "file??", &file, "ext_vars?", &extVars, "tla?", &tla); err != nil {
		return nil, err
	}
	if (source == "") == (file == "") {
		return nil, fmt.Errorf("give exactly one of source or file")
	}
	vm := jsonnet.MakeVM()
	if err := setVars(extVars, vm.ExtVar, vm.ExtCode); err != nil {
		return nil, fmt.Errorf("ext_vars: %w", err)
	}
	if err := setVars(tla, vm.TLAVar, vm.TLACode); err != nil {
		return nil, fmt.Errorf("tla: %w", err)
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	name, text, dir, err := jsonnetInput(th, e, source, file)
	if err != nil {
		return nil, err
	}
	if text, err = vetJsonnet(text); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	vm.Importer(&recipeImporter{e: e, dir: dir, cache: map[string]jsonnet.Contents{}})
	vm.MaxStack = maxJsonnetFrames
	vm.ErrorFormatter.SetMaxStackTraceSize(10)
	out, err := evaluateJsonnet(e.Context(), vm, name, text)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber() // ints stay ints
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return starutil.ToValue(v)
}

// jsonnetInput returns the name shown in errors, the text, and the
// directory imports resolve from: the caller's for source, the file's own
// for a file (a local file: recipes ship their templates beside them).
func jsonnetInput(th *starlark.Thread, e *env.Env, source, file string) (name, text, dir string, err error) {
	dir = callerDir(th)
	if file == "" {
		return "<source>", source, dir, nil
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	data, err := env.ReadFile(e.Context(), file, e.Limits.MaxRead())
	if err != nil {
		return "", "", "", fmt.Errorf("cannot read %s: %v", file, unwrapPathErr(err))
	}
	return file, string(data), filepath.Dir(file), nil
}

// callerDir is the directory of the file whose code called the builtin
// (frame 0 is the builtin itself); "." outside any file or in @stdlib.
func callerDir(th *starlark.Thread) string {
	if th.CallStackDepth() < 2 {
		return "."
	}
	name := th.CallFrame(1).Pos.Filename()
	if name == "" || strings.HasPrefix(name, "@") {
		return "."
	}
	return filepath.Dir(name)
}

// setVars passes strings as string variables and anything else as Jsonnet
// code (its JSON encoding), so numbers, lists and dicts keep their types.
func setVars(d *starlark.Dict, asString, asCode func(k, v string)) error {
	for _, kv := range d.Items() {
		k, ok := kv[0].(starlark.String)
		if !ok {
			return fmt.Errorf("got %s key, want string", kv[0].Type())
		}
		if s, ok := kv[1].(starlark.String); ok {
			asString(string(k), string(s))
			continue
		}
		g, err := starutil.FromValue(kv[1])
		if err != nil {
			return fmt.Errorf("%s: %v", string(k), err)
		}
		code, err := json.Marshal(g)
		if err != nil {
			return fmt.Errorf("%s: %v", string(k), err)
		}
		asCode(string(k), string(code))
	}
	return nil
}

// evaluateJsonnet runs the VM in a goroutine so Ctrl-C, --timeout and the
// memory watchdog end the call (go-jsonnet cannot be cancelled; the
// abandoned evaluation ends with the process). A panic in go-jsonnet
// becomes an error of one line instead of its "(CRASH)" stack dump.
func evaluateJsonnet(ctx context.Context, vm *jsonnet.VM, name, text string) (string, error) {
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("internal error in go-jsonnet: %v", r)}
			}
		}()
		out, err := vm.EvaluateAnonymousSnippet(name, text)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			msg := strings.TrimSpace(r.err.Error())
			if crash, ok := strings.CutPrefix(msg, "(CRASH) "); ok {
				msg, _, _ = strings.Cut(crash, "\n") // drop go-jsonnet's Go stack dump
				msg = "internal error in go-jsonnet: " + msg
			}
			return "", errors.New(msg)
		}
		return r.out, nil
	case <-ctx.Done():
		return "", context.Cause(ctx)
	}
}

// recipeImporter resolves imports of the snippet itself (which has no
// directory of its own) against dir, and nested imports relative to their
// file; files are read within the run's read limit.
type recipeImporter struct {
	e     *env.Env
	dir   string
	cache map[string]jsonnet.Contents // by path: go-jsonnet wants the same contents each time
}

func (r *recipeImporter) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	dir := r.dir
	if importedFrom != "" {
		dir = filepath.Dir(importedFrom)
	}
	path := importedPath
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, importedPath)
	}
	if c, ok := r.cache[path]; ok {
		return c, path, nil
	}
	data, err := env.ReadFile(r.e.Context(), path, r.e.Limits.MaxRead())
	if err != nil {
		return jsonnet.Contents{}, "", fmt.Errorf("cannot import %s: %v", importedPath, unwrapPathErr(err))
	}
	c := jsonnet.MakeContentsRaw(data)
	r.cache[path] = c
	return c, path, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
