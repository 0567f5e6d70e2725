package repl_test

import (
	"strings"
	"testing"
)

func TestHelpOfOtherValues(t *testing.T) {
	h := newSession(t, strings.Join([]string{
		"def mk(name, size = \"1G\", *more, **opts):",
		"    \"\"\"Make a thing.\"\"\"",
		"",
		"help(mk)",
		"help([].append)",
		"help(struct)",
		"help(42)",
		"help('nosuch.thing')",
	}, "\n"), nil)
	h.run()
	for _, want := range []string{
		"mk(name, size = \"1G\", *more, **opts)\n    Make a thing.",
		"list.append: a method of list",
		"42: a int",
	} {
		if !strings.Contains(h.stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, h.stdout)
		}
	}
	if !strings.Contains(h.stderr.String(), "help: nosuch is not defined") {
		t.Errorf("stderr: %s", h.stderr)
	}
}
