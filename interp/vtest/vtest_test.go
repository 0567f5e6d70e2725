package vtest

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWorldsAreFresh: each test_* function runs on its own simulated
// world, with its own injected faults and logs.
func TestWorldsAreFresh(t *testing.T) {
	var out strings.Builder
	if !Run(context.Background(), []string{"testdata/world_test.star"}, Options{Out: &out, Verbose: true}) {
		t.Fatalf("failed:\n%s", out.String())
	}
	if n := strings.Count(out.String(), "--- PASS"); n != 5 {
		t.Errorf("%d passed, want 5:\n%s", n, out.String())
	}
}

// TestFailureReport: failures name the file and line of the assertion,
// show the test's output, and the summary counts them; -run filters.
func TestFailureReport(t *testing.T) {
	var out strings.Builder
	if Run(context.Background(), []string{"testdata/fail_test.star"}, Options{Out: &out}) {
		t.Fatal("a failing test passed")
	}
	for _, want := range []string{
		"--- FAIL: test_wrong (testdata/fail_test.star)",
		"    before\n",
		"testdata/fail_test.star:9: assert.eq: helper: got 2, want 3",
		"testdata/fail_test.star:2: unknown binary op: string + int",
		"FAIL\t2 of 3 tests failed in 1 files",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "test_ok") {
		t.Errorf("a passing test is listed without -v:\n%s", out.String())
	}
	out.Reset()
	if !Run(context.Background(), []string{"testdata/fail_test.star"}, Options{Out: &out, Run: regexp.MustCompile("^test_ok$")}) {
		t.Fatalf("-run test_ok failed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "ok\t1 tests in 1 files") {
		t.Errorf("summary: %s", out.String())
	}
}

// TestFiles: directories, DIR/... and globs expand; a pattern that
// matches nothing is an error naming it.
func TestFiles(t *testing.T) {
	for _, p := range []string{"testdata", "./...", "testdata/*_test.star"} {
		files, err := Files([]string{p})
		if err != nil || len(files) != 2 {
			t.Errorf("%s: %v, %v", p, files, err)
		}
	}
	if _, err := Files([]string{"nothing_here_test.star"}); err == nil || !strings.Contains(err.Error(), `"nothing_here_test.star"`) {
		t.Errorf("no match: %v", err)
	}
}

// TestUnreadableFile: a test file that does not parse fails the run and
// says where, instead of counting as zero tests passed.
func TestUnreadableFile(t *testing.T) {
	f := t.TempDir() + "/bad_test.star"
	if err := os.WriteFile(f, []byte("def test_a(:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if Run(context.Background(), []string{f}, Options{Out: &out}) {
		t.Fatal("passed")
	}
	if !strings.Contains(out.String(), "bad_test.star:1:13") || !strings.Contains(out.String(), "1 files could not be read") {
		t.Errorf("output:\n%s", out.String())
	}
}
