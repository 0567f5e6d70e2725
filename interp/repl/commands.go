package repl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/interp"
	"go.starlark.net/starlark"
)

const helpText = `Type Starlark statements; an expression's value is printed and kept in _.
Multi-line statements (def, if, for, open brackets) end with a blank line.
Tab completes names, module members (lvm.), API names (cs.) and keyword
arguments; Up/Down recall history; Ctrl-C cancels the running statement;
Ctrl-D exits.

  help(x)          signature and doc of a builtin, members of a module
  :help            this text
  :history [N]     the last N lines entered (default 20)
  :save FILE.star  write the statements that ran without error as a recipe
  :full            print _ in full (long values are abbreviated)
  :quit            leave (same as Ctrl-D)`

// command runs a :command and reports whether the session should end.
func (s *Session) command(line string) bool {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ":help", ":h", ":?":
		fmt.Fprintln(s.o.Stdout, helpText)
	case ":history":
		s.showHistory(arg)
	case ":save":
		if arg == "" {
			s.errorf(":save: missing FILE.star (usage: :save FILE.star)")
			return false
		}
		if err := s.save(arg); err != nil {
			s.errorf(":save: %v", err)
		}
	case ":full":
		v, ok := s.globals["_"]
		if !ok {
			s.errorf(":full: no value yet (_ is set by an expression)")
			return false
		}
		fmt.Fprintln(s.o.Stdout, interp.Pretty(v, prettyWidth))
	case ":quit", ":q", ":exit":
		return true
	default:
		s.errorf("unknown command %s (see :help)", name)
	}
	return false
}

func (s *Session) showHistory(arg string) {
	n := 20
	if arg != "" {
		v, err := strconv.Atoi(arg)
		if err != nil || v <= 0 {
			s.errorf(":history: got %q, want a positive number of lines", arg)
			return
		}
		n = v
	}
	h := s.history
	if len(h) > 0 && strings.HasPrefix(strings.TrimSpace(h[len(h)-1]), ":history") {
		h = h[:len(h)-1] // not the command that asked
	}
	start := max(len(h)-n, 0)
	for i := start; i < len(h); i++ {
		fmt.Fprintf(s.o.Stdout, "%5d  %s\n", i+1, s.secrets.line(h[i]))
	}
}

// Last is the value of _, or nil (tests).
func (s *Session) Last() starlark.Value { return s.globals["_"] }
