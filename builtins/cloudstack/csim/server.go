// Package csim is vrun's CloudStack simulator: an http.Handler that speaks
// the CloudStack API as a management server does for one account. It
// verifies signatures like ApiServer.verifyRequest, keeps state machines for
// zones, offerings, templates, VMs, volumes and snapshots, runs async jobs on
// a (scaled or virtual) clock, serves listApis for cloudmonkey, answers
// errors in the server's shapes and status codes, and injects faults.
//
// Two clocks: jobs progress on the simulated clock (Options.Clock, 300×
// real time under `vrun sim cloudstack`), while everything a client can see
// or is judged by (the expiry of a signatureversion=3 request, "created"
// dates, a job's created and completed) is on the wall clock
// (Options.Wall), as on a real management server: clients sign with their
// own wall clock.
//
// It runs in-process under `vrun --sim` and on a port with
// `vrun sim cloudstack`.
package csim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vrun-dev/vrun/builtins/cloudstack/signing"
)

// Default credentials of a simulator started without any.
const (
	DefaultAPIKey    = "vrun-sim-api-key"
	DefaultSecretKey = "vrun-sim-secret-key"
	accountID        = "8a7b5e2c-0000-4000-8000-000000000002"
	userID           = "8a7b5e2c-0000-4000-8000-000000000003"
)

// Clock is the simulator's time source; env.Clock satisfies it.
type Clock interface{ Now() time.Time }

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

// Options configure a Server.
type Options struct {
	APIKey, SecretKey string // accepted credentials; empty: DefaultAPIKey, DefaultSecretKey
	Clock             Clock  // jobs' simulated time; nil: wall-clock time
	Wall              Clock  // what clients see and sign with; nil: wall-clock time
	// MaxPageSize is the server's default.page.size: the largest pagesize
	// a list accepts and the page an unpaged list is cut to (0: 500).
	MaxPageSize int
	// Durations override how long jobs of an API take in simulated time
	// (defaults: a snapshot 9.5 minutes, as in the seed note).
	Durations map[string]time.Duration
}

// Server is the simulator. Create it with New.
type Server struct {
	mu     sync.Mutex
	key    string
	secret string
	clock  Clock // simulated: job progress
	wall   Clock // real: expiry, dates clients see
	w      *world
	faults []*Fault
	log    []string // the requests answered, for tests (Requests)
	apis   []*api
	byName map[string]*api
	dur    map[string]time.Duration
	// A loaded world's timeline goes on from its last request: offset
	// maps the clock onto it (set at load, kept continuous by SetClock).
	loaded bool
	offset time.Duration
	// The wall time of the last advance, to date the completion of a job
	// that ended between two requests (zero: not yet in this run).
	lastWall time.Time
	pageMax  int
}

// New returns a simulator seeded with the world of the seed note.
func New(o Options) *Server {
	s := &Server{key: o.APIKey, secret: o.SecretKey, clock: o.Clock, wall: o.Wall, w: &world{}, pageMax: o.MaxPageSize}
	if s.key == "" {
		s.key = DefaultAPIKey
	}
	if s.secret == "" {
		s.secret = DefaultSecretKey
	}
	if s.clock == nil {
		s.clock = wallClock{}
	}
	if s.wall == nil {
		s.wall = wallClock{}
	}
	if s.pageMax <= 0 {
		s.pageMax = defaultPageSize
	}
	s.w.seed(s.clock.Now(), s.wall.Now())
	s.dur = defaultDurations()
	for k, d := range o.Durations {
		s.dur[k] = d
	}
	s.apis = apiTable()
	s.byName = map[string]*api{}
	for _, a := range s.apis {
		s.byName[a.name] = a
	}
	return s
}

// now is the world's simulated time; the server must be locked.
func (s *Server) now() time.Time { return s.clock.Now().Add(s.offset) }

// shown is the wall time a client sees for something happening now.
func (s *Server) shown() time.Time { return s.wall.Now() }

// apiError is an error answer: errorcode doubles as the HTTP status.
// cscode 0 is left out, as ExceptionResponse leaves out an unset one.
type apiError struct {
	code, cscode int
	text         string
}

// body is the ExceptionResponse of the error.
func (e *apiError) body() obj {
	o := obj{"uuidList": []any{}, "errorcode": e.code, "errortext": e.text}
	if e.cscode != 0 {
		o["cserrorcode"] = e.cscode
	}
	return o
}

func paramError(format string, args ...any) *apiError {
	return &apiError{431, 4350, fmt.Sprintf(format, args...)}
}

func badID(api, name, value string) *apiError {
	return paramError("Unable to execute API command %s due to invalid value. Invalid parameter %s value=%s due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.",
		strings.ToLower(api), name, value)
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() { // a bug anywhere answers 530, as the server's unexpected exceptions do
		if v := recover(); v != nil {
			writeJSON(w, "errorresponse", nil, &apiError{530, 4250, fmt.Sprintf("Caught exception while serving the request: %v", v)})
		}
	}()
	if err := r.ParseForm(); err != nil {
		writeJSON(w, "errorresponse", nil, &apiError{430, 9999, "malformed request: " + err.Error()})
		return
	}
	p := args{}
	for name, vals := range r.Form {
		if len(vals) > 0 {
			p[name] = vals[0] // the server signs and reads only the first value
		}
	}
	command := p["command"]
	wrapper := "errorresponse"
	if command != "" {
		wrapper = strings.ToLower(command) + "response"
	}
	s.logRequest(p)
	slow, httpFault := s.takeFaults(command)
	if slow != nil {
		t := time.NewTimer(slow.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if httpFault != nil {
		writeHTTPFault(w, wrapper, httpFault.Code)
		return
	}
	a, known := s.byName[command]
	if !known {
		// getSerializedApiError names the answer after the command only
		// when the server has it.
		wrapper = "errorresponse"
	}
	if e := s.authenticate(p); e != nil {
		writeJSON(w, wrapper, nil, e)
		return
	}
	if !known { // current releases refuse it in verifyRequest, as a bad signature
		writeJSON(w, wrapper, nil, denied())
		return
	}
	if rt := p.get("response"); rt != "json" {
		writeJSON(w, wrapper, nil, paramError("the simulator answers only response=json, got response=%q", rt))
		return
	}
	for _, prm := range a.params {
		if prm.required && p.get(prm.name) == "" {
			writeJSON(w, wrapper, nil, &apiError{431, 9999,
				fmt.Sprintf("Unable to execute API command %s due to missing parameter %s", strings.ToLower(command), prm.name)})
			return
		}
		// The server's ParamProcessWorker refuses a string longer than
		// the parameter's length (255 unless declared).
		if n := prm.length(); prm.typ == "string" && len([]rune(p.get(prm.name))) > n {
			writeJSON(w, wrapper, nil, paramError("Value greater than max allowed length %d for param: %s", n, prm.name))
			return
		}
	}
	body, e := s.handle(a, p)
	writeJSON(w, wrapper, body, e)
}

// handle runs an API with the world locked. A bug in a handler answers
// like the server's unexpected exceptions (530) instead of killing a
// `vrun sim cloudstack` or leaving the lock held for every later request.
func (s *Server) handle(a *api, p args) (body obj, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			body, e = nil, &apiError{530, 4250, fmt.Sprintf("Caught exception while executing %s: %v", strings.ToLower(a.name), r)}
		}
	}()
	s.advance()
	return a.handle(s, p)
}

func (s *Server) takeFaults(command string) (slow, httpFault *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.takeFault(command, FaultSlow), s.takeFault(command, FaultHTTP)
}

// authenticate checks the API key and signature like verifyRequest; a
// failure is the servlet's generic 401, with no cserrorcode.
func (s *Server) authenticate(p args) *apiError {
	if p.get("apikey") != s.key || !signing.Verify(p, s.secret) {
		return denied()
	}
	if p.get("signatureversion") == "3" {
		exp, ok := signing.ParseExpires(p.get("expires"))
		// The server compares expires with its wall clock, as the client
		// signs with its own; the simulated job clock runs ahead of both.
		if !ok || exp.Before(s.wall.Now()) {
			return denied()
		}
	}
	return nil
}

// denied is ApiServlet's answer to a request verifyRequest refused: a bad
// key or signature, an expired request, or an unknown command alike.
func denied() *apiError {
	return &apiError{code: 401, text: "unable to verify user credentials and/or request signature"}
}

func writeJSON(w http.ResponseWriter, wrapper string, body obj, e *apiError) {
	status := http.StatusOK
	if e != nil {
		status = e.code
		body = e.body()
		w.Header().Set("X-Description", e.text)
	}
	if body == nil {
		body = obj{}
	}
	data, _ := json.Marshal(obj{wrapper: body})
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(data)
}

// writeHTTPFault answers like what sits in front of a management server:
// a proxy's HTML page for 502/503/504, the server's JSON otherwise.
func writeHTTPFault(w http.ResponseWriter, wrapper string, code int) {
	switch code {
	case 502, 503, 504:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(code)
		fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", code, http.StatusText(code))
	case 429:
		writeJSON(w, wrapper, nil, &apiError{429, 9999, "The given user has reached his/her account api limit, please retry after 218 ms."})
	default:
		writeJSON(w, wrapper, nil, &apiError{code, 9999, fmt.Sprintf("Injected server error %d", code)})
	}
}

// args are a request's parameters (first value of each name).
type args map[string]string

// get returns a parameter by name, ignoring case as the server does.
func (a args) get(name string) string {
	if v, ok := a[name]; ok {
		return v
	}
	for k, v := range a {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
