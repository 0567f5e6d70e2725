package hosts

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

// recap is what on() did per host over the whole run.
type recap struct {
	mu    sync.Mutex
	order []string
	rows  map[string]*row
}

type row struct {
	Host    string `json:"host"`
	Status  string `json:"status"` // ok, failed, stopped, skipped
	Changed int64  `json:"changed"`
	Error   string `json:"error,omitempty"`
}

var rank = map[string]int{"ok": 0, "skipped": 1, "stopped": 2, "failed": 3}

// register lists host in the recap (in on()'s order) before it runs.
func (r *recap) register(host string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rows[host]; !ok {
		if r.rows == nil {
			r.rows = map[string]*row{}
		}
		r.rows[host] = &row{Host: host, Status: "skipped"}
		r.order = append(r.order, host)
	}
}

func (r *recap) record(host, status string, changed int64, err string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.rows[host]
	if !ok {
		if r.rows == nil {
			r.rows = map[string]*row{}
		}
		w = &row{Host: host, Status: status}
		r.rows[host] = w
		r.order = append(r.order, host)
	}
	w.Changed += changed
	if rank[status] >= rank[w.Status] || w.Status == "skipped" {
		w.Status = status
		if err != "" {
			w.Error = err
		}
	}
}

// Recap writes the per-host recap of the run's on() calls to w (JSON
// event lines with jsonEvents) and reports whether on() ran and whether
// a host failed.
func (r *Resolver) Recap(w io.Writer, jsonEvents bool) (used, failed bool) {
	rc := &r.recap
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.order) == 0 {
		return false, false
	}
	width := 0
	for _, h := range rc.order {
		width = max(width, len(h))
	}
	if !jsonEvents {
		fmt.Fprintln(w, "recap:")
	}
	for _, h := range rc.order {
		x := rc.rows[h]
		failed = failed || x.Status == "failed" || x.Status == "stopped"
		if jsonEvents {
			b, _ := json.Marshal(struct {
				Event string `json:"event"`
				*row
			}{"recap", x})
			fmt.Fprintf(w, "%s\n", b)
			continue
		}
		line := fmt.Sprintf("  %-*s  %-7s  changed=%d", width, h, x.Status, x.Changed)
		if x.Error != "" {
			line += "  " + x.Error
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return true, failed
}
