package cloudstack

import (
	"fmt"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

// jobValue is an async job started with wait = False.
type jobValue struct {
	cv          *clientValue
	id, command string
	entity      string
}

func (j *jobValue) String() string        { return fmt.Sprintf("<cloudstack.job %s (%s)>", j.id, j.command) }
func (j *jobValue) Type() string          { return "cloudstack.job" }
func (j *jobValue) Freeze()               {}
func (j *jobValue) Truth() starlark.Bool  { return true }
func (j *jobValue) Hash() (uint32, error) { return starlark.String(j.id).Hash() }
func (j *jobValue) AttrNames() []string {
	return []string{"command", "entity_id", "id", "status", "wait"} // sorted
}

func (j *jobValue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "id":
		return starlark.String(j.id), nil
	case "command":
		return starlark.String(j.command), nil
	case "entity_id":
		if j.entity == "" {
			return starlark.None, nil
		}
		return starlark.String(j.entity), nil
	case "status":
		return starutil.NewBuiltin("cloudstack.job.status", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starutil.UnpackPositional(b, args, kwargs, 0); err != nil {
				return nil, err
			}
			res, err := j.cv.c.Request(j.cv.e.Context(), "queryAsyncJobResult", map[string]string{"jobid": j.id})
			if err != nil {
				return nil, err
			}
			n, _ := number(res["jobstatus"])
			return starlark.MakeInt(n), nil
		}), nil
	case "wait":
		return starutil.NewBuiltin("cloudstack.job.wait", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var timeout starutil.Duration
			if err := starutil.Unpack(b, args, kwargs, "timeout?", &timeout); err != nil {
				return nil, err
			}
			return j.cv.waitTracked("cloudstack."+j.command, j, time.Duration(timeout), false)
		}), nil
	}
	return nil, nil
}
