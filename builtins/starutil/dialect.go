package starutil

import "go.starlark.net/syntax"

// FileOptions returns the dialect of recipes: top-level control flow and
// global reassignment, as operators write scripts top to bottom. Each call
// returns a fresh value, so no caller can change it for the others. interp
// runs recipes with it; module tests (modtest) use the same.
func FileOptions() *syntax.FileOptions {
	return &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}
}
