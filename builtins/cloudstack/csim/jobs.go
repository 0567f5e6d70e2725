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
	created, due, completed  time.Time
	status, resultCode       int
	result                   obj
	stages                   []stage
	fault                    *Fault
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
		instanceID: instanceID, created: now, due: now.Add(d)}
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
	now := s.now()
	if now.After(s.w.last) {
		s.w.last = now
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
			events = append(events, event{j.due, len(events), func() { s.complete(j) }})
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

func (s *Server) complete(j *job) {
	if j.status != jobPending {
		return
	}
	j.completed = j.due
	switch {
	case j.fault != nil && j.fault.Kind == FaultJobCancel:
		j.status, j.resultCode = jobCancelled, 530
		j.result = obj{"errorcode": 530, "errortext": "Job is cancelled as it has been blocking others for too long"}
		s.undo(j)
		return
	case j.fault != nil && j.fault.Kind == FaultJobFail:
		j.status, j.resultCode = jobFailed, 530
		j.result = obj{"errorcode": j.fault.Code, "errortext": j.fault.text(j)}
		s.undo(j)
		return
	}
	res, err := s.finish(j)
	if err != nil {
		j.status, j.resultCode = jobFailed, 530
		j.result = obj{"errorcode": err.code, "cserrorcode": err.cscode, "errortext": err.text}
		s.undo(j)
		return
	}
	j.status, j.resultCode, j.result = jobSucceeded, 0, res
}

func (s *Server) jobJSON(j *job) obj {
	o := obj{"accountid": accountID, "userid": userID, "cmd": j.cmdClass, "jobid": j.id,
		"jobstatus": j.status, "jobprocstatus": 0, "jobresultcode": j.resultCode,
		"jobresulttype": "object", "created": date(j.created)}
	if j.instanceType != "" {
		o["jobinstancetype"], o["jobinstanceid"] = j.instanceType, j.instanceID
	}
	if j.status != jobPending {
		o["jobresult"] = j.result
		o["completed"] = date(j.completed)
	}
	return o
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
