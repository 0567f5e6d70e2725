package starutil

import (
	"errors"
	"fmt"

	"go.starlark.net/starlark"
)

// Limits of every walk over a value (conversion to JSON-like data, JSON
// and pretty output): a list may contain itself, and a few nested
// repetitions ([x] * 1000 of [y] * 1000 ...) make billions of elements
// out of a small value, so both depth and size are bounded.
const (
	MaxNesting = 1000
	MaxNodes   = 1 << 24
)

// The errors of a walk past its bounds.
var (
	ErrCycle    = errors.New("value contains itself (a cycle such as x.append(x)); it cannot be converted")
	ErrTooDeep  = fmt.Errorf("value nested more than %d levels deep", MaxNesting)
	ErrTooLarge = fmt.Errorf("value too large: more than %d elements in all", MaxNodes)
)

// Nest tracks the containers a walk is inside, so every converter reports
// a cycle, an over-deep or an over-large value as an error instead of
// recursing until the Go stack or the memory runs out. The zero value is
// ready to use; use one Nest per walk.
type Nest struct {
	open  []starlark.Value // mutable containers being walked
	depth int
	nodes int
}

// Enter is called before walking into v; Leave after, when Enter
// succeeded.
func (n *Nest) Enter(v starlark.Value) error {
	if err := n.Count(); err != nil {
		return err
	}
	if n.depth >= MaxNesting {
		return ErrTooDeep
	}
	switch v.(type) {
	case *starlark.List, *starlark.Dict, *starlark.Set:
		// Only mutable containers can close a cycle; pointer identity.
		for _, o := range n.open {
			if o == v {
				return ErrCycle
			}
		}
		n.open = append(n.open, v)
	default:
		n.open = append(n.open, nil)
	}
	n.depth++
	return nil
}

// Leave undoes the last Enter.
func (n *Nest) Leave() {
	n.depth--
	n.open = n.open[:len(n.open)-1]
}

// Count counts a leaf against the size bound.
func (n *Nest) Count() error {
	n.nodes++
	if n.nodes > MaxNodes {
		return ErrTooLarge
	}
	return nil
}
