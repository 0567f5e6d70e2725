package core_test

import (
	"context"
	"io"
	"testing"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/interp"
)

// BenchmarkRunTrue measures one recipe step: a Starlark call of run("true")
// through the interpreter and the local executor (fork, exec, wait).
func BenchmarkRunTrue(b *testing.B) {
	exectest.RequireTools(b, "true")
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard})
	th := in.Thread("bench")
	g, err := in.ExecFile(th, "bench.star", []byte("def step():\n    return run(\"true\").rc\n"))
	if err != nil {
		b.Fatal(interp.Render(err))
	}
	step := g["step"]
	b.ResetTimer()
	for b.Loop() {
		if _, err := starlark.Call(th, step, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/step")
}

// BenchmarkStartup measures what a run costs before its first command:
// interp.New (builtins, loader, environment) plus a trivial recipe.
func BenchmarkStartup(b *testing.B) {
	src := []byte("x = size(\"1G\") + 1\n")
	for b.Loop() {
		in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: io.Discard, Stderr: io.Discard})
		if _, err := in.ExecFile(in.Thread("bench"), "bench.star", src); err != nil {
			b.Fatal(interp.Render(err))
		}
	}
}
