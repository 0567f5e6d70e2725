package hosts_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vrun-dev/vrun/interp"
)

// fanOut runs a fan-out over three simulated hosts with o's output flags,
// prints the recap after it as vrun does, and returns all that went to the
// (shared) stdout and stderr.
func fanOut(t *testing.T, o interp.Options, jsonEvents bool) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "r.star")
	os.WriteFile(file, []byte(`
def main():
    def f(h):
        if h.name == "node3":  # no step(): its line shows the command
            h.run("test", "-d", "/")
            print("node3 tested /")
            return
        step("carve store on " + h.name, lambda: h.run("true", "-v"))
        step("format " + h.name, lambda: h.run("true"))
    on(["node1", "node2", "node3"], f, parallel = 3)
    print("after")
`), 0o644)
	var out lockedBuffer // hosts print at once when no overlay serializes them
	o.Sim, o.Ctx, o.Stdout, o.Stderr = true, context.Background(), &out, &out
	in, err := interp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	in.Env.JSONEvents = jsonEvents
	if _, err := in.RunRecipe(file, nil); err != nil {
		t.Fatal(err)
	}
	in.Recap(&out)
	return out.String()
}

// TestProgressLines: on a terminal, each running host has a live line
// naming it and its current step (or command when it uses no step()),
// redrawn in place; once on() returns, the screen holds no progress line,
// only the recipe's output and the recap.
func TestProgressLines(t *testing.T) {
	raw := fanOut(t, interp.Options{Terminal: true}, false)
	for _, want := range []string{
		"  node1  carve store on node1\n", "  node1  format node1\n",
		"  node2  carve store on node2\n", "  node2  format node2\n",
		"  node3  test -d /\n",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("no live line %q in:\n%q", want, raw)
		}
	}
	if !strings.Contains(raw, "\x1b[") || !strings.Contains(raw, "A\r\x1b[J") {
		t.Errorf("no redraw in place (cursor up, clear): %q", raw)
	}
	screen := render(t, raw)
	for _, l := range screen {
		if strings.HasPrefix(l, "  node") && !strings.Contains(l, "changed=") {
			t.Errorf("progress line left on the screen: %q\nscreen:\n%s", l, strings.Join(screen, "\n"))
		}
	}
	// What is left is the output of a run without a terminal, in some
	// order of the hosts' lines: compare as sets, the recap in order.
	plain := fanOut(t, interp.Options{}, false)
	if strings.Contains(plain, "\x1b") {
		t.Fatalf("escape sequences without a terminal: %q", plain)
	}
	got, want := sortedLines(strings.Join(screen, "\n")), sortedLines(plain)
	if got != want {
		t.Fatalf("final screen:\n%s\nwant the lines of:\n%s", strings.Join(screen, "\n"), plain)
	}
	if !strings.HasSuffix(strings.Join(screen, "\n"), "after\nrecap:\n  node1  ok       changed=2\n  node2  ok       changed=2\n  node3  ok       changed=1") {
		t.Fatalf("screen does not end with the output then the recap:\n%s", strings.Join(screen, "\n"))
	}
}

// TestProgressOff: -q, -v and --output json keep the terminal free of
// live lines (traces and events are lines of their own).
func TestProgressOff(t *testing.T) {
	for name, o := range map[string]interp.Options{"quiet": {Terminal: true, Quiet: true}, "verbose": {Terminal: true, Verbose: true}, "json": {Terminal: true}} {
		if out := fanOut(t, o, name == "json"); strings.Contains(out, "\x1b") {
			t.Errorf("%s: escape sequences: %q", name, out)
		}
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func sortedLines(s string) string {
	var l []string
	for _, x := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		l = append(l, x)
	}
	sort.Strings(l)
	return strings.Join(l, "\n")
}

// render plays raw on a minimal terminal (newline, carriage return,
// ESC[nA cursor up, ESC[J and ESC[K clears) and returns the screen's lines,
// trailing empty ones dropped. Any other escape sequence fails the test.
func render(t *testing.T, raw string) []string {
	t.Helper()
	var screen [][]rune
	row, col := 0, 0
	line := func() *[]rune {
		for len(screen) <= row {
			screen = append(screen, nil)
		}
		return &screen[row]
	}
	rs := []rune(raw)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '\n':
			row, col = row+1, 0
		case '\r':
			col = 0
		case 0x1b:
			j := i + 2
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			if i+1 >= len(rs) || rs[i+1] != '[' || j >= len(rs) {
				t.Fatalf("bad escape at %d: %q", i, string(rs[i:]))
			}
			n, _ := strconv.Atoi(string(rs[i+2 : j]))
			switch rs[j] {
			case 'A':
				if n > row {
					t.Fatalf("cursor up %d from row %d: above the output", n, row)
				}
				row -= n
			case 'J':
				l := line()
				*l = (*l)[:min(col, len(*l))]
				screen = screen[:row+1]
			case 'K':
				l := line()
				*l = (*l)[:min(col, len(*l))]
			default:
				t.Fatalf("unexpected escape %q", string(rs[i:j+1]))
			}
			i = j
		default:
			l := line()
			for len(*l) <= col {
				*l = append(*l, ' ')
			}
			(*l)[col] = c
			col++
		}
	}
	var out []string
	for _, l := range screen {
		out = append(out, string(l))
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// TestProgressHostileActivity: a command whose argv holds escape sequences,
// newlines or a great length shows as one cut line of plain text, and a
// nested on() does not draw a second block over the outer one.
func TestProgressHostileActivity(t *testing.T) {
	file := filepath.Join(t.TempDir(), "r.star")
	os.WriteFile(file, []byte(`
def main():
    def inner(h):
        h.run("test", "-e", "/x\x1b[2J\nnext" + "y" * 500, check = False)
    on(["a"], lambda h: on(["b", "c"], inner))
`), 0o644)
	var out lockedBuffer
	in, err := interp.New(interp.Options{Sim: true, Terminal: true, Ctx: context.Background(), Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, err := in.RunRecipe(file, nil); err != nil {
		t.Fatal(err)
	}
	raw := out.String()
	if strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\nnext") {
		t.Fatalf("the argv's control characters reached the terminal: %q", raw)
	}
	if !strings.Contains(raw, "  a  test -e '/x [2J next"+strings.Repeat("y", 39)+"…\n") {
		t.Fatalf("no cut line for a: %q", raw)
	}
	if strings.Contains(raw, "  b  ") || strings.Contains(raw, "  c  ") {
		t.Fatalf("the nested on() drew its own lines: %q", raw)
	}
	if screen := render(t, raw); len(screen) != 0 {
		t.Fatalf("left on the screen: %q", screen)
	}
}
