package repl

import "strings"

// keep records a statement's lines (or a :command) in the session's
// history, the reader's recall list and the history file, with the
// secrets it knows replaced. A statement that still holds a secret in
// another spelling (escaped, split into pieces) is not kept at all.
func (s *Session) keep(lines []string) {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, s.secrets.line(l))
		}
	}
	if len(kept) == 0 {
		return
	}
	if s.secrets.leaks(strings.Join(kept, "\n")) {
		if s.o.Interactive {
			s.errorf("note: not kept in the history: it holds a secret")
		}
		return
	}
	s.history = append(s.history, kept...)
	if !s.o.Interactive {
		return // scripts leave no history behind
	}
	for _, l := range kept {
		s.o.Reader.AddHistory(l)
		if s.o.HistoryFile != "" {
			if err := AppendHistory(s.o.HistoryFile, l); err != nil {
				s.errorf("history: %v (history is not saved)", err)
				s.o.HistoryFile = ""
			}
		}
	}
}

// forget redacts newly learnt secrets from the lines already kept: the
// session's history, the reader's recall list and the history file. A
// line that still holds one in another spelling goes.
func (s *Session) forget() {
	h := s.history[:0]
	for _, l := range s.history {
		if l, ok := s.secrets.persisted(l); ok {
			h = append(h, l)
		}
	}
	s.history = h
	if !s.o.Interactive {
		return
	}
	if r, ok := s.o.Reader.(HistoryReplacer); ok {
		r.ReplaceHistory(s.history)
	}
	if s.o.HistoryFile != "" {
		if err := RedactHistory(s.o.HistoryFile, s.secrets.persisted); err != nil {
			s.errorf("history: %v", err)
		}
	}
}

// persisted is a line as it may be kept, or false when it may not be.
func (ss *secrets) persisted(line string) (string, bool) {
	line = ss.line(line)
	return line, !ss.leaks(line)
}
