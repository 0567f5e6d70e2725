package csim

import (
	"sort"
	"strings"
)

// unlogged reports the parameters of signing, not of the call.
func unlogged(k string) bool {
	switch strings.ToLower(k) {
	case "command", "apikey", "signature", "signatureversion", "expires", "response":
		return true
	}
	return false
}

// logRequest records one request as "command k=v ..." (sorted keys,
// without the signing parameters), for `vrun test`'s sim.log().
func (s *Server) logRequest(p args) {
	keys := []string{}
	for k := range p {
		if !unlogged(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	line := []string{p["command"]}
	for _, k := range keys {
		line = append(line, k+"="+p[k])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, strings.Join(line, " "))
}

// Requests returns the requests answered so far, oldest first.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Called lists the API names of the requests answered so far, in order
// (tests assert which APIs a run asked for).
func (s *Server) Called() []string {
	reqs := s.Requests()
	names := make([]string, len(reqs))
	for i, r := range reqs {
		names[i], _, _ = strings.Cut(r, " ")
	}
	return names
}
