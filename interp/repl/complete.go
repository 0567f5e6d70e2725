package repl

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// completionWait bounds how long Tab waits for a value's attribute names.
const completionWait = 3 * time.Second

// keywords are completed at the start of a name like globals.
var keywords = []string{"and", "break", "continue", "def", "elif", "else", "for", "if", "in", "lambda", "load", "not", "or", "pass", "return", "while"}

// Complete is the Tab completion of line with the cursor at pos (in runes):
// it returns the text before the word being completed, the candidates that
// replace the word, and the text after the cursor.
//
// A dotted word completes the members of whatever value its prefix names
// (modules, structs, the CloudStack client's API names); a plain word
// completes keyword arguments of the call it is in, then globals,
// builtins and keywords.
func (s *Session) Complete(line string, pos int) (head string, cands []string, tail string) {
	runes := []rune(line)
	pos = min(max(pos, 0), len(runes))
	before, tail := string(runes[:pos]), string(runes[pos:])
	start := len(before)
	for start > 0 && isNameByte(before[start-1]) {
		start--
	}
	head, word := before[:start], before[start:]
	if word != "" && word[0] >= '0' && word[0] <= '9' {
		return head, nil, tail
	}
	if i := strings.LastIndexByte(word, '.'); i >= 0 {
		return head, s.members(word[:i], word[i+1:]), tail
	}
	seen := map[string]bool{}
	add := func(c string) {
		if strings.HasPrefix(c, word) && !seen[c] {
			seen[c] = true
			cands = append(cands, c)
		}
	}
	if callee := openCall(head); callee != "" {
		for _, p := range s.paramNames(callee) {
			add(p + " = ")
		}
	}
	var names []string
	for k := range s.globals {
		names = append(names, k)
	}
	names = append(names, starlark.Universe.Keys()...)
	names = append(names, keywords...)
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasPrefix(n, "_") || strings.HasPrefix(word, "_") {
			add(n)
		}
	}
	return head, cands, tail
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// members lists base.prefix* for the value base names.
func (s *Session) members(base, prefix string) []string {
	v, err := resolveDotted(s.globals, strings.Split(base, "."))
	if err != nil {
		return nil
	}
	ha, ok := v.(starlark.HasAttrs)
	if !ok {
		return nil
	}
	// AttrNames may ask a server (the CloudStack client's listApis); a
	// slow one must not freeze the prompt, so Tab gives up after a while
	// and the answer, once cached, serves the next Tab.
	ch := make(chan []string, 1)
	go func() { ch <- ha.AttrNames() }()
	var names []string
	select {
	case names = <-ch:
	case <-time.After(completionWait):
		return nil
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && (!strings.HasPrefix(n, "_") || strings.HasPrefix(prefix, "_")) {
			out = append(out, base+"."+n)
		}
	}
	sort.Strings(out)
	return out
}

// resolveDotted looks a dotted name up: a global, then attributes. Only
// attribute reads happen, never calls.
func resolveDotted(globals starlark.StringDict, parts []string) (starlark.Value, error) {
	v, ok := globals[parts[0]]
	if !ok {
		if v, ok = starlark.Universe[parts[0]]; !ok {
			return nil, fmt.Errorf("%s is not defined", parts[0])
		}
	}
	for i, p := range parts[1:] {
		ha, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil, fmt.Errorf("%s (a %s) has no attributes", strings.Join(parts[:i+1], "."), v.Type())
		}
		next, err := ha.Attr(p)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return nil, fmt.Errorf("%s has no attribute %s", strings.Join(parts[:i+1], "."), p)
		}
		v = next
	}
	return v, nil
}

// openCall returns the dotted name of the innermost call still open at the
// end of text ("lvm.lvcreate" for `lvm.lvcreate("vg0", si`), or "".
func openCall(text string) string {
	var stack []int // positions of open brackets
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return ""
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, i)
		case (c == ')' || c == ']' || c == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 || text[stack[len(stack)-1]] != '(' {
		return ""
	}
	fn := strings.TrimRight(text[:stack[len(stack)-1]], " ")
	start := len(fn)
	for start > 0 && isNameByte(fn[start-1]) {
		start--
	}
	return fn[start:]
}

// ParamLister is implemented by values whose methods take keyword
// arguments that no registered doc describes: a CloudStack client can list
// an API's parameters from listApis. The REPL completes them after `(`.
type ParamLister interface {
	ParamNames(method string) []string
}

// paramNames are the keyword arguments of the callable callee names: from
// the registry's Params for builtins, from the definition for functions.
func (s *Session) paramNames(callee string) []string {
	parts := strings.Split(callee, ".")
	if len(parts) > 1 {
		if base, err := resolveDotted(s.globals, parts[:len(parts)-1]); err == nil {
			if pl, ok := base.(ParamLister); ok {
				return pl.ParamNames(parts[len(parts)-1])
			}
		}
	}
	v, err := resolveDotted(s.globals, parts)
	if err != nil {
		return nil
	}
	switch fn := v.(type) {
	case *starlark.Builtin:
		if d, ok := s.help.docs[fn.Name()]; ok {
			names := ParamNames(d.Params)
			return names[min(d.Positional, len(names)):]
		}
	case *starlark.Function:
		var names []string
		n := fn.NumParams() - btoi(fn.HasVarargs()) - btoi(fn.HasKwargs())
		for i := 0; i < n; i++ {
			name, _ := fn.Param(i)
			names = append(names, name)
		}
		return names
	}
	return nil
}

// ParamNames reads the named parameters of a Params doc string such as
// "(vg, name, size = None, *devices)" by parsing it as a def.
func ParamNames(params string) []string {
	f, err := syntax.Parse("params", "def f"+params+": pass\n", 0)
	if err != nil || len(f.Stmts) != 1 {
		return nil
	}
	def, ok := f.Stmts[0].(*syntax.DefStmt)
	if !ok {
		return nil
	}
	var names []string
	for _, p := range def.Params {
		switch p := p.(type) {
		case *syntax.Ident:
			names = append(names, p.Name)
		case *syntax.BinaryExpr:
			if id, ok := p.X.(*syntax.Ident); ok {
				names = append(names, id.Name)
			}
		}
	}
	return names
}
