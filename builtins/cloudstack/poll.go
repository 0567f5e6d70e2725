package cloudstack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Policy is how a wait polls queryAsyncJobResult: the first query after
// Poll (at once with Immediate), each next interval Factor times the last,
// capped at MaxPoll. Poll == MaxPoll is a fixed poll.
type Policy struct {
	Poll, MaxPoll time.Duration
	Factor        float64
	Immediate     bool
}

// DefaultPolicy backs off from 0.5 s to 10 s by 1.5×: a 1 s job is seen
// 0.25 s late, a 10 s job 0.4 s late after 6 queries, a 100 s job 4.6 s late
// after 16 (cloudmonkey's fixed 2 s poll needs 50); see BenchmarkPollLatency.
func DefaultPolicy() Policy {
	return Policy{Poll: 500 * time.Millisecond, MaxPoll: 10 * time.Second, Factor: 1.5}
}

func (p Policy) next(d time.Duration) time.Duration {
	f := p.Factor
	if f < 1 {
		f = 1
	}
	n := time.Duration(float64(d) * f)
	if n > p.MaxPoll {
		n = p.MaxPoll
	}
	if n < p.Poll {
		n = p.Poll
	}
	return n
}

// JobError is a job that ended in failure (status 2) or was cancelled (3).
type JobError struct {
	JobID      string
	Command    string
	Status     int
	ResultCode int
	ErrorCode  int
	Text       string
	NoResult   bool // the server gave no jobresult
}

func (e *JobError) Error() string {
	if e.NoResult && e.Status == 2 {
		// AsyncJobManagerImpl completes a job that blocked its queue too
		// long so: FAILED, resultcode 0, a bare text clients never see.
		return fmt.Sprintf("job %s (%s) failed with jobresultcode %d and no jobresult: CloudStack ends a job so when it cancels it for blocking others for too long; the management server log has the reason, and running the command again may succeed",
			e.JobID, e.Command, e.ResultCode)
	}
	if e.Status == 3 {
		return fmt.Sprintf("job %s (%s) was cancelled: jobresultcode %d, errorcode %d: %s", e.JobID, e.Command, e.ResultCode, e.ErrorCode, e.Text)
	}
	return fmt.Sprintf("job %s (%s) failed: jobresultcode %d, errorcode %d: %s", e.JobID, e.Command, e.ResultCode, e.ErrorCode, e.Text)
}

// TimeoutError is a wait that ran out; the job may still finish.
type TimeoutError struct {
	JobID, Command string
	After          time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("job %s (%s) still running after %s; it may still finish: re-attach with cs.wait(%q)", e.JobID, e.Command, e.After, e.JobID)
}

// Wait polls a job until it ends or timeout (0: the client's) passes, and
// returns its jobresult. command names the job in messages ("" takes it from
// the job's cmd class).
func (c *Client) Wait(ctx context.Context, jobID, command string, timeout time.Duration) (map[string]any, error) {
	if timeout <= 0 {
		timeout = c.Timeout
	}
	start := c.Clock.Now()
	deadline := start.Add(timeout)
	interval := c.Policy.Poll
	first := true
	queries := 0
	defer c.progress("")
	for {
		slept := !(first && c.Policy.Immediate)
		if slept {
			d := interval
			if left := deadline.Sub(c.Clock.Now()); left < d {
				d = left
			}
			if err := c.Clock.Sleep(ctx, max(d, 0)); err != nil {
				return nil, c.detached(ctx, jobID, command, err)
			}
		}
		first = false
		// The deadline is judged by when the query went out, not when its
		// answer came back: on a scaled clock a scheduling hiccup is minutes.
		asked := c.Clock.Now()
		queries++
		job, err := c.request(ctx, "queryAsyncJobResult", map[string]string{"jobid": jobID}, queries == 1)
		if err != nil {
			return nil, c.detached(ctx, jobID, command, err)
		}
		if command == "" {
			command = shortCmd(job["cmd"])
		}
		status, _ := number(job["jobstatus"])
		if status < 0 || status > 3 {
			return nil, fmt.Errorf("job %s (%s) answered jobstatus %d, which CloudStack does not define (0 pending, 1 succeeded, 2 failed, 3 cancelled): its outcome is unknown; check it with queryAsyncJobResult jobid=%s",
				jobID, command, status, jobID)
		}
		if status != 0 {
			if c.Tracef != nil {
				c.Tracef("cloudstack: job %s (%s) %s after %d queries, %s", jobID, command, map[int]string{1: "succeeded", 2: "failed", 3: "was cancelled"}[status], queries, c.Clock.Now().Sub(start).Round(time.Second))
			}
			return jobOutcome(jobID, command, status, job)
		}
		if slept {
			interval = c.Policy.next(interval)
		}
		elapsed := asked.Sub(start)
		if !asked.Before(deadline) {
			return nil, &TimeoutError{JobID: jobID, Command: command, After: timeout}
		}
		c.progress(fmt.Sprintf("cloudstack: waiting for %s (job %s) %s", command, jobID, elapsed.Round(time.Second)))
	}
}

// detached explains a wait that stopped (Ctrl-C, --timeout, the endpoint
// unreachable) while the job goes on: the id is what an operator needs.
func (c *Client) detached(ctx context.Context, jobID, command string, err error) error {
	err = stopCause(ctx, err)
	label := "job " + jobID
	if command != "" {
		label += " (" + command + ")"
	}
	var ae *APIError
	if errors.As(err, &ae) { // the server answered: e.g. no such job
		return fmt.Errorf("querying %s: %w", label, err)
	}
	return fmt.Errorf("stopped waiting for %s, which goes on without us: %w; re-attach with cs.wait(%q)", label, err, jobID)
}

func jobOutcome(jobID, command string, status int, job map[string]any) (map[string]any, error) {
	res, _ := job["jobresult"].(map[string]any)
	if status == 1 {
		if res == nil {
			res = map[string]any{}
		}
		return res, nil
	}
	e := &JobError{JobID: jobID, Command: command, Status: status}
	e.ResultCode, _ = number(job["jobresultcode"])
	if res != nil {
		e.ErrorCode, _ = number(res["errorcode"])
		e.Text, _ = res["errortext"].(string)
	} else {
		e.NoResult = true
	}
	if e.Text == "" {
		e.Text = "no error text"
	}
	return nil, e
}

// shortCmd turns "org.apache...vm.DeployVMCmd" into "DeployVM".
func shortCmd(v any) string {
	s, _ := v.(string)
	if i := strings.LastIndex(s, "."); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "ByAdmin"), "Cmd")
	if s == "" {
		return "job"
	}
	return s
}

func (c *Client) progress(line string) {
	if c.Progress != nil {
		c.Progress(line)
	}
}

// stopCause words a wait that the run stopped as operators read it, not as
// Go's "context canceled" / "context deadline exceeded"; the cause stays
// in the chain for errors.Is.
func stopCause(ctx context.Context, err error) error {
	if ctx.Err() == nil {
		return err
	}
	msg := "the run was stopped"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		msg = "the run timed out (--timeout)"
	} else if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
		msg = cause.Error()
	}
	return &stopped{msg: msg, err: err}
}

type stopped struct {
	msg string
	err error
}

func (s *stopped) Error() string { return s.msg }
func (s *stopped) Unwrap() error { return s.err }
