package csim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// FaultKind is what an injected fault does.
type FaultKind string

const (
	FaultJobFail   FaultKind = "fail"   // the job ends with status 2 and Code/Text (default 533 "Unable to create a deployment")
	FaultJobCancel FaultKind = "cancel" // the server cancels the job for blocking others too long: status 2, resultcode 0, no jobresult
	FaultJobStuck  FaultKind = "stuck"  // the job never finishes
	FaultHTTP      FaultKind = "http"   // the request is answered with HTTP status Code (5xx from a proxy, 429, ...)
	FaultSlow      FaultKind = "slow"   // the response is delayed by Delay of wall-clock time
)

// Fault is one injected failure for rehearsals and tests. Command is an API
// name ("deployVirtualMachine"), matched case-insensitively, or "*".
type Fault struct {
	Command string
	Kind    FaultKind
	Code    int
	Text    string
	Delay   time.Duration
	Count   int // how many requests it hits; 0 means every one
}

// ParseFault reads the textual form used by `vrun sim cloudstack --fault` and
// VRUN_SIM_CLOUDSTACK_FAULTS: COMMAND=KIND[:ARG][xCOUNT], e.g.
// "deployVirtualMachine=fail:533", "createSnapshot=stuck", "listZones=http:503x2",
// "listZones=slow:2s", "attachVolume=cancel".
func ParseFault(spec string) (Fault, error) {
	cmd, rest, ok := strings.Cut(spec, "=")
	cmd, rest = strings.TrimSpace(cmd), strings.TrimSpace(rest)
	if !ok || cmd == "" || rest == "" {
		return Fault{}, fmt.Errorf("invalid fault %q: want COMMAND=KIND[:ARG][xCOUNT], e.g. deployVirtualMachine=fail:533", spec)
	}
	name, async, err := faultCommand(cmd)
	if err != nil {
		return Fault{}, fmt.Errorf("invalid fault %q: %w", spec, err)
	}
	f := Fault{Command: name}
	if i := strings.LastIndex(rest, "x"); i > 0 {
		if n, err := strconv.Atoi(rest[i+1:]); err == nil {
			if n < 1 {
				return Fault{}, fmt.Errorf("invalid fault %q: count %d, want 1 or more (or no xCOUNT for every request)", spec, n)
			}
			f.Count, rest = n, rest[:i]
		}
	}
	kind, arg, _ := strings.Cut(rest, ":")
	f.Kind = FaultKind(kind)
	switch f.Kind {
	case FaultJobFail, FaultHTTP:
		f.Code = map[FaultKind]int{FaultJobFail: 533, FaultHTTP: 503}[f.Kind]
		if arg != "" {
			n, err := strconv.Atoi(arg)
			if err != nil || n < minFaultCode || n > maxFaultCode {
				return Fault{}, fmt.Errorf("invalid fault %q: code %q, want a number from %d to %d such as %d",
					spec, arg, minFaultCode, maxFaultCode, f.Code)
			}
			f.Code = n
		}
	case FaultSlow:
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return Fault{}, fmt.Errorf("invalid fault %q: delay %q, want a duration such as 2s", spec, arg)
		}
		f.Delay = d
	case FaultJobCancel, FaultJobStuck:
		if arg != "" {
			return Fault{}, fmt.Errorf("invalid fault %q: %s takes no argument", spec, kind)
		}
	default:
		return Fault{}, fmt.Errorf("invalid fault %q: kind %q, want fail, cancel, stuck, http or slow", spec, kind)
	}
	if !async && (f.Kind == FaultJobFail || f.Kind == FaultJobCancel || f.Kind == FaultJobStuck) {
		// It would never fire: the rehearsal would pass without the fault.
		return Fault{}, fmt.Errorf("invalid fault %q: %s answers at once, without a job, so %s would never fire (fail, cancel and stuck apply to async APIs such as deployVirtualMachine); use http:CODE to fail its answer",
			spec, name, kind)
	}
	return f, nil
}

// Fault codes are error answers: CloudStack's error codes (431, 530, 533,
// ...) and HTTP error statuses (429, 503, ...) all lie in 400-599; a 2xx or
// 3xx "fault" would not rehearse a failure.
const (
	minFaultCode = 400
	maxFaultCode = 599
)

// faultCommand returns the simulator's spelling of an API name given in a
// fault and whether it is async, or an error naming the APIs it serves: a fault on an API it does
// not serve would never fire and the rehearsal would "pass".
func faultCommand(cmd string) (name string, async bool, err error) {
	if cmd == "*" {
		return cmd, true, nil
	}
	var names []string
	for _, a := range apiTable() {
		if strings.EqualFold(a.name, cmd) {
			return a.name, a.async, nil
		}
		names = append(names, a.name)
	}
	sort.Strings(names)
	return "", false, fmt.Errorf("the simulator has no API %q; it serves %s (or * for every API)", cmd, strings.Join(names, ", "))
}

// text is the job error text of a failing job.
func (f *Fault) text(j *job) string {
	if f.Text != "" {
		return f.Text
	}
	if f.Code == 533 && j.api == "deployVirtualMachine" {
		return fmt.Sprintf("Unable to create a deployment for VM[User|%s]", j.instanceID)
	}
	return fmt.Sprintf("Injected failure of %s (error code %d)", j.api, f.Code)
}

// AddFault injects a fault; faults are matched in the order they were added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// takeFault returns the first fault for api of one of kinds, using up one
// of its hits. The server must be locked.
func (s *Server) takeFault(api string, kinds ...FaultKind) *Fault {
	for i, f := range s.faults {
		if f.Command != "*" && !strings.EqualFold(f.Command, api) {
			continue
		}
		for _, k := range kinds {
			if f.Kind != k {
				continue
			}
			if f.Count > 0 {
				f.Count--
				if f.Count == 0 {
					s.faults = append(s.faults[:i], s.faults[i+1:]...)
				}
			}
			c := *f
			return &c
		}
	}
	return nil
}
