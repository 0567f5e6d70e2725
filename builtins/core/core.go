// Package core holds the builtins every recipe starts with: run, sh, jq,
// jsonnet, json, yaml, size, duration, sleep, wait and file.
package core

import "github.com/vrun-dev/vrun/builtins/starutil"

// Modules returns the core modules: the top level (Name "") first.
func Modules() []*starutil.Module {
	return []*starutil.Module{
		{Name: "", Doc: "core builtins", Funcs: topLevel()},
		jsonModule(),
		yamlModule(),
		waitModule(),
		fileModule(),
		sysctlModule(),
		cronModule(),
		userModule(),
		httpModule(),
		serviceModule(),
	}
}

func topLevel() []starutil.Func {
	var fs []starutil.Func
	for _, group := range [][]starutil.Func{runFuncs(), jqFuncs(), jsonnetFuncs(), timeFuncs(), catchFuncs(), sprintfFuncs()} {
		fs = append(fs, group...)
	}
	return fs
}
