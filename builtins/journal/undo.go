package journal

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
)

// Undo runs the undo of every step this run completed or replayed, last
// first, marking each undone in the journal. It stops at the first undo
// that fails and says which steps are left. Steps without an undo are
// named as kept.
func Undo(th *starlark.Thread, e *env.Env) error {
	j := of(e)
	j.mu.Lock()
	undos := append([]pendingUndo(nil), j.undos...)
	j.undos = nil
	j.mu.Unlock()
	for i := len(undos) - 1; i >= 0; i-- {
		u := undos[i]
		if u.fn == nil {
			e.Print(fmt.Sprintf("<== %s: no undo, kept", u.step.Name))
			continue
		}
		e.Print("<== undo " + u.step.Name)
		if _, err := starlark.Call(th, u.fn, starlark.Tuple{u.result}, nil); err != nil {
			var left []string
			for k := i; k >= 0; k-- {
				left = append(left, "'"+undos[k].step.Name+"'")
			}
			return fmt.Errorf("undo of step '%s' failed: %s\nnot undone: %s", u.step.Name, message(err), strings.Join(left, ", "))
		}
		j.mu.Lock()
		u.step.Status = "undone"
		err := j.save()
		j.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}
