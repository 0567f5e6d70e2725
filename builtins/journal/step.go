package journal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module is the top-level step() builtin.
func Module() *starutil.Module {
	return &starutil.Module{Name: "", Doc: "steps of a recipe, kept in a journal", Funcs: []starutil.Func{
		{Name: "step", Params: "(name, fn, undo = None, check = None, what = None)", Impl: step,
			Doc: "runs fn() as a named step: prints it and records its result (JSON values only) in the run's journal; on failure or Ctrl-C names the step and what earlier steps created (what = \"volume\" and a result with an id); `vrun resume` returns the recorded result instead of running fn again when check(result) is true (or no check), and re-attaches to an async job the step left running; undo(result) takes the step back (--undo-on-failure, `vrun undo`)"},
	}}
}

// ErrReplayEnd stops a replayed run (vrun undo) at the first step the
// journal does not hold as done.
var ErrReplayEnd = errors.New("journal: the replay reached the first unfinished step")

type pendingUndo struct {
	step   *Step
	fn     starlark.Callable
	result starlark.Value
}

func step(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, what string
	var fn starlark.Callable
	var undo, check starlark.Value = starlark.None, starlark.None
	if err := starutil.Unpack(b, args, kwargs, "name", &name, "fn", &fn, "undo?", &undo, "check?", &check, "what?", &what); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, "\x00\n") {
		return nil, fmt.Errorf("name %q: want a non-empty one-line step name", name)
	}
	undoFn, err := callableOrNone("undo", undo)
	if err != nil {
		return nil, err
	}
	checkFn, err := callableOrNone("check", check)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	j := of(e)
	s, recorded, err := j.begin(name, what)
	if err != nil {
		return nil, err
	}
	if recorded != nil {
		ok := true
		if checkFn != nil && j.mode == Resume {
			v, err := starlark.Call(th, checkFn, starlark.Tuple{recorded}, nil)
			if err != nil {
				return nil, fmt.Errorf("step '%s': check of the recorded result: %w", name, err)
			}
			ok = bool(v.Truth())
		}
		if ok {
			e.Print(fmt.Sprintf("==> %s (done%s, from the journal)", name, j.createdOne(s)))
			j.addUndo(s, undoFn, recorded)
			return recorded, nil
		}
		e.Print(fmt.Sprintf("==> %s (recorded as done, but its check failed: running it again)", name))
		j.restart(s)
	}
	if j.mode == Replay {
		return nil, ErrReplayEnd
	}
	e.Print("==> " + name)
	e.StepBegan(name) // on()'s live line for this host shows the step
	v, err := starlark.Call(th, fn, nil, nil)
	e.StepEnded(name)
	if err == nil {
		if err = j.done(s, v); err == nil {
			j.addUndo(s, undoFn, v)
			return v, nil
		}
	}
	return nil, j.failed(e.Context(), s, err)
}

func callableOrNone(what string, v starlark.Value) (starlark.Callable, error) {
	if v == starlark.None {
		return nil, nil
	}
	c, ok := v.(starlark.Callable)
	if !ok {
		return nil, fmt.Errorf("%s: got %s, want a function or None", what, v.Type())
	}
	return c, nil
}

// begin matches the call with the journal: a recorded done step returns its
// result (resume, replay); any other becomes the current step.
func (j *Journal) begin(name, what string) (*Step, starlark.Value, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	i := j.next
	j.next++
	if i < len(j.Steps) && j.mode != Run {
		s := j.Steps[i]
		if s.Name != name {
			return nil, nil, fmt.Errorf("the journal's step %d is '%s' but the recipe's is '%s': the recipe changed since the journal was written; finish by hand or remove the journal %s", i+1, s.Name, name, j.path)
		}
		if s.Status == "done" {
			v, err := starutil.ToValue(s.Result)
			if err != nil {
				return nil, nil, fmt.Errorf("the journal's result of step '%s': %v", name, err)
			}
			return s, v, nil
		}
		if j.mode == Replay {
			return nil, nil, ErrReplayEnd
		}
		j.Steps = j.Steps[:i+1] // later steps cannot have finished before this one
		s.What, s.Status, s.Error, s.Result = what, "running", "", nil
		j.cur = s
		return s, nil, j.save()
	}
	if j.mode == Replay {
		return nil, nil, ErrReplayEnd
	}
	j.Steps = j.Steps[:min(i, len(j.Steps))]
	s := &Step{Name: name, What: what, Status: "running"}
	j.Steps = append(j.Steps, s)
	j.cur = s
	return s, nil, j.save()
}

// restart runs a recorded step again (its check failed).
func (j *Journal) restart(s *Step) {
	j.mu.Lock()
	defer j.mu.Unlock()
	s.Status, s.Result, s.Jobs = "running", nil, nil
	j.Steps = j.Steps[:j.next]
	j.cur = s
	j.save()
}

func (j *Journal) done(s *Step, v starlark.Value) error {
	res, err := starutil.FromValue(v)
	if err != nil {
		return fmt.Errorf("its result (%s) cannot be kept in the journal: %v; return a dict, list, string or number", v.Type(), err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	s.Status, s.Result = "done", res
	j.cur = nil
	return j.save()
}

func (j *Journal) addUndo(s *Step, fn starlark.Callable, v starlark.Value) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.undos = append(j.undos, pendingUndo{step: s, fn: fn, result: v})
}

// failed records the failure and words it for the operator: the step, what
// exists so far, a job left running, how to go on.
func (j *Journal) failed(ctx context.Context, s *Step, err error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.cur = nil
	var b strings.Builder
	if why := stopped(ctx); why != "" {
		s.Status, s.Error = "interrupted", why
		fmt.Fprintf(&b, "%s during step '%s'", why, s.Name)
	} else {
		s.Status, s.Error = "failed", message(err)
		fmt.Fprintf(&b, "step '%s' failed: %s", s.Name, s.Error)
	}
	created := j.created()
	if len(created) == 0 {
		b.WriteString("\nnothing was created")
	} else {
		b.WriteString("\ncreated:\n  " + strings.Join(created, "\n  "))
	}
	for _, jb := range s.Jobs {
		if jb.Running {
			fmt.Fprintf(&b, "\njob %s (%s) was still running", jb.ID, jb.Command)
		}
	}
	if j.path != "" {
		fmt.Fprintf(&b, "\njournal: %s (vrun resume %s with the same flags goes on from this step; vrun undo %s takes the done steps back)", j.path, j.Recipe, j.path)
	}
	if serr := j.save(); serr != nil {
		b.WriteString("\n" + serr.Error())
	}
	return errors.New(b.String())
}

// stopped words a run the operator or --timeout stopped ("" if neither).
func stopped(ctx context.Context) string {
	if ctx.Err() == nil {
		return ""
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "timed out (--timeout)"
	}
	if c := context.Cause(ctx); c != nil && c.Error() != "interrupted" && c != context.Canceled {
		return "stopped (" + c.Error() + ")"
	}
	return "interrupted (Ctrl-C)"
}

// created lists "what id" for done steps that created something and for
// entities of jobs the current steps submitted; the caller holds mu.
func (j *Journal) created() []string {
	var out []string
	for _, s := range j.Steps {
		if s.Status == "done" && s.What != "" {
			if id := resultID(s.Result); id != "" {
				out = append(out, s.What+" "+id)
			}
			continue
		}
		for _, jb := range s.Jobs {
			if jb.Running && jb.Entity != "" && s.What != "" {
				out = append(out, fmt.Sprintf("%s %s (job %s)", s.What, jb.Entity, jb.ID))
			}
		}
	}
	return out
}

func (j *Journal) createdOne(s *Step) string {
	if id := resultID(s.Result); s.What != "" && id != "" {
		return ": " + s.What + " " + id
	}
	return ""
}

func resultID(r any) string {
	switch r := r.(type) {
	case string:
		return r
	case map[string]any:
		if id, ok := r["id"].(string); ok {
			return id
		}
	}
	return ""
}

// message is an error's text without the backtrace or fail's prefix.
func message(err error) string {
	msg := err.Error()
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		msg = ee.Msg
	}
	return strings.TrimPrefix(msg, "fail: ")
}
