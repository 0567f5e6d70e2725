package csim

import (
	"sort"
	"strings"
	"time"
)

// Job statuses as the server numbers them (JobInfo.Status ordinals).
const (
	jobPending   = 0
	jobSucceeded = 1
	jobFailed    = 2
	jobCancelled = 3
)

// job is an async job. Its effects are applied lazily: every request first
// advances the world to the clock's now, so no goroutine runs jobs and a
// scaled or virtual clock drives everything. A job is plain data (what it
// does follows from api, see finish and undo), so a running job is saved
// with the world and resumes after a reload.
type job struct {
	id, api, cmdClass        string
	instanceType, instanceID string
	created, due, completed  time.Time // simulated: the job's progress
	// shownCreated and shownDone are the wall times a client sees as
	// created and completed.
	shownCreated, shownDone time.Time
	status, resultCode      int
	result                  obj
	stages                  []stage
	fault                   *Fault
	// What completing the job needs beyond its instance.
	vmID    string  // attachVolume: the VM
	device  int     // attachVolume: the device id reserved
	first   bool    // attachVolume: the volume was Allocated (the attach creates it)
	start   bool    // deployVirtualMachine: start the VM
	expunge bool    // destroyVirtualMachine
	root    *volume // deployVirtualMachine: the root volume, in the world once deployed
}

// stage is an intermediate state of the job's instance (a snapshot's
// BackingUp, a VM's Starting), entered at a time.
type stage struct {
	at    time.Time
	state string
}

// startJob registers a job taking d of simulated time; its stages are
// added with at.
func (s *Server) startJob(api, instanceType, instanceID string, d time.Duration) *job {
	now := s.now()
	j := &job{id: s.w.newID("job"), api: api, cmdClass: cmdClass(api), instanceType: instanceType,
		instanceID: instanceID, created: now, due: now.Add(d), shownCreated: s.shown()}
	if f := s.takeFault(api, FaultJobFail, FaultJobCancel, FaultJobStuck); f != nil {
		j.fault = f
	}
	s.w.jobs = append(s.w.jobs, j)
	return j
}

// at makes the job's instance enter state at frac of the job's duration.
func (j *job) at(frac float64, state string) {
	j.stages = append(j.stages, stage{at: j.created.Add(time.Duration(frac * float64(j.due.Sub(j.created)))), state: state})
}

// advance applies every stage and job completion due by now, in time order.
func (s *Server) advance() {
	now, wallNow := s.now(), s.wall.Now()
	prev, prevWall := s.w.last, s.lastWall
	if now.After(s.w.last) {
		s.w.last = now
	}
	s.lastWall = wallNow
	// A job that ended between two requests is dated where its simulated
	// end falls between them on the wall clock (exact on a scaled clock).
	wallAt := func(at time.Time) time.Time {
		if prevWall.IsZero() || !now.After(prev) || at.Before(prev) {
			return wallNow
		}
		f := float64(at.Sub(prev)) / float64(now.Sub(prev))
		return prevWall.Add(time.Duration(f * float64(wallNow.Sub(prevWall))))
	}
	type event struct {
		at  time.Time
		seq int
		fn  func()
	}
	var events []event
	for _, j := range s.w.jobs {
		if j.status != jobPending {
			continue
		}
		for _, st := range j.stages {
			if !st.at.After(now) {
				j, state := j, st.state
				events = append(events, event{st.at, len(events), func() { s.enter(j, state) }})
			}
		}
		if !j.due.After(now) && (j.fault == nil || j.fault.Kind != FaultJobStuck) {
			j := j
			events = append(events, event{j.due, len(events), func() { s.complete(j, wallAt(j.due)) }})
		}
	}
	sort.SliceStable(events, func(a, b int) bool { return events[a].at.Before(events[b].at) })
	for _, e := range events {
		e.fn()
	}
	// A stage runs once.
	for _, j := range s.w.jobs {
		kept := j.stages[:0]
		for _, st := range j.stages {
			if st.at.After(now) {
				kept = append(kept, st)
			}
		}
		j.stages = kept
	}
}

// blockingText is what AsyncJobManagerImpl completes a job with when it
// has held its queue too long.
const blockingText = "Job is cancelled as it has been blocking others for too long"

// complete ends a job at its due time, shown to clients as done at wall.
// A failure is what ApiAsyncJobDispatcher records: status 2, jobresultcode
// equal to the errorcode, and an ExceptionResponse (uuidList, errorcode,
// errortext; no cserrorcode) as the result.
func (s *Server) complete(j *job, wall time.Time) {
	if j.status != jobPending {
		return
	}
	j.completed, j.shownDone = j.due, wall
	fail := func(code int, text string) {
		j.status, j.resultCode = jobFailed, code
		j.result = obj{"uuidList": []any{}, "errorcode": code, "errortext": text}
		s.undo(j)
	}
	switch {
	case j.fault != nil && j.fault.Kind == FaultJobCancel:
		// completeAsyncJob(id, FAILED, 0, text): the text is a bare
		// string, which queryAsyncJobResult cannot deserialize (no
		// "class/json" form), so clients get no jobresult at all.
		j.status, j.resultCode, j.result = jobFailed, 0, nil
		s.undo(j)
		return
	case j.fault != nil && j.fault.Kind == FaultJobFail:
		fail(j.fault.Code, j.fault.text(j))
		return
	}
	res, err := s.finish(j)
	if err != nil {
		fail(err.code, err.text)
		return
	}
	j.status, j.resultCode, j.result = jobSucceeded, 0, res
}

func (s *Server) jobJSON(j *job) obj {
	o := obj{"accountid": accountID, "userid": userID, "cmd": j.cmdClass, "jobid": j.id,
		"jobstatus": j.status, "jobprocstatus": 0, "jobresultcode": j.resultCode,
		"created": date(j.shownAt())}
	if j.instanceType != "" {
		o["jobinstancetype"], o["jobinstanceid"] = j.instanceType, j.instanceID
	}
	if j.status != jobPending {
		if j.result != nil { // jobresulttype comes with a result only
			o["jobresult"], o["jobresulttype"] = j.result, "object"
		}
		done := j.shownDone
		if done.IsZero() { // a world saved before wall times were kept
			done = j.completed
		}
		o["completed"] = date(done)
	}
	return o
}

// shownAt is the job's created time as a client sees it.
func (j *job) shownAt() time.Time {
	if j.shownCreated.IsZero() { // a world saved before wall times were kept
		return j.created
	}
	return j.shownCreated
}

func (s *Server) job(id string) *job {
	for _, j := range s.w.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

// cmdClass is the Java command class the server reports in "cmd".
func cmdClass(api string) string {
	pkg := map[string]string{
		"createVolume": "volume", "attachVolume": "volume", "detachVolume": "volume",
		"createSnapshot": "snapshot", "deleteSnapshot": "snapshot",
		"createTemplate": "template", "deleteTemplate": "template",
		"deployVirtualMachine": "vm", "destroyVirtualMachine": "vm",
	}[api]
	class := strings.ToUpper(api[:1]) + api[1:] + "Cmd"
	switch api {
	case "deployVirtualMachine":
		class = "DeployVMCmd"
	case "destroyVirtualMachine":
		class = "DestroyVMCmd"
	}
	if pkg == "" {
		pkg = "misc"
	}
	return "org.apache.cloudstack.api.command.user." + pkg + "." + class
}
