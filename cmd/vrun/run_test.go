package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs the CLI in-process on a recipe written to a temp dir.
func runIn(t *testing.T, src string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "r.star")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, a := range args {
		if a == "FILE" {
			args[i] = file
		}
	}
	var out, errb strings.Builder
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// The exit codes of API.md: 0, 1, 2, 3.
func TestExitCodes(t *testing.T) {
	cases := []struct {
		name, src string
		args      []string
		code      int
		stderr    string
	}{
		{"ok", "def main():\n    return 42\n", []string{"FILE"}, 0, ""},
		{"runtime", "def main():\n    return 1 // 0\n", []string{"FILE"}, 1, "floored division by zero"},
		{"static", "def main(:\n", []string{"FILE"}, 2, "r.star:1:11: got ':', want ')'"},
		{"undefined", "x = nosuch\n", []string{"FILE"}, 2, "undefined: nosuch"},
		{"param", "def main(n = 1):\n    pass\n", []string{"FILE", "--n", "x"}, 2, "want an int"},
		{"timeout", "while True:\n    pass\n", []string{"--timeout", "50ms", "FILE"}, 3, "timed out after 50ms"},
		{"bad global flag", "x = 1\n", []string{"--nope", "FILE"}, 2, "unknown flag: --nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runIn(t, c.src, c.args...)
			if code != c.code || !strings.Contains(stderr, c.stderr) {
				t.Fatalf("code %d (want %d), stderr:\n%s\nwant it to contain %q", code, c.code, stderr, c.stderr)
			}
			if strings.Contains(stderr, "goroutine ") {
				t.Fatalf("Go stack trace leaked:\n%s", stderr)
			}
		})
	}
}

func TestResultOutput(t *testing.T) {
	src := "def main():\n    return {\"id\": 7, \"names\": [\"a\", \"b\"], \"nested\": {\"k\": \"" + strings.Repeat("v", 90) + "\"}}\n"
	code, out, _ := runIn(t, src, "--output", "json", "FILE")
	if code != 0 || !strings.Contains(out, `"id": 7,`) || !strings.Contains(out, `"names": [`) {
		t.Fatalf("json output (%d):\n%s", code, out)
	}
	code, out, _ = runIn(t, src, "FILE")
	if code != 0 || !strings.HasPrefix(out, "{\n    \"id\": 7,\n    \"names\": [\"a\", \"b\"],\n") {
		t.Fatalf("text output (%d):\n%s", code, out)
	}
}
