package repl

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// maxHistory is how many lines of the history file are kept for recall.
const maxHistory = 1000

// HistoryPath is where the REPL keeps its history:
// $XDG_STATE_HOME/vrun/history, by default ~/.local/state/vrun/history.
func HistoryPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "vrun", "history"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "state", "vrun", "history"), nil
}

// LoadHistory reads the last maxHistory lines of the history file; a
// missing file is an empty history.
func LoadHistory(path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := private(f); err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(lines) > maxHistory {
		// Lines are only ever appended; cut the file back now and then.
		compact := len(lines) > 2*maxHistory
		lines = lines[len(lines)-maxHistory:]
		if compact {
			if err := rewriteHistory(path, lines); err != nil {
				return lines, err
			}
		}
	}
	return lines, nil
}

func rewriteHistory(path string, lines []string) error {
	return writePrivate(path+".tmp", strings.Join(lines, "\n")+"\n", func() error { return os.Rename(path+".tmp", path) })
}

// writePrivate writes a file only its owner can read (an existing one is
// tightened first: it may be left from a version that made it 0644), then
// runs done.
func writePrivate(path, text string, done func() error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	regular, err := private(f)
	if err != nil {
		f.Close()
		return err
	}
	if regular {
		if err := f.Truncate(0); err != nil {
			f.Close()
			return err
		}
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return done()
}

// private makes f readable by its owner only, if it is a regular file
// (:save /dev/stdout must not chmod the device), and reports whether it is.
func private(f *os.File) (bool, error) {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return true, f.Chmod(st.Mode().Perm() &^ 0o077)
	}
	return true, nil
}

// AppendHistory adds one line to the history file, creating its directory.
// Lines are appended as they are entered, so a crash loses nothing and two
// sessions interleave instead of overwriting each other.
func AppendHistory(path, line string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := private(f); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(strings.ReplaceAll(line, "\n", " ") + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// RedactHistory rewrites the history file with redact applied to every
// line, when that changes any: a secret learnt after its line was entered
// leaves the file too. A line redact refuses is dropped.
func RedactHistory(path string, redact func(string) (string, bool)) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	kept := lines[:0]
	changed := false
	for _, l := range lines {
		r, ok := redact(l)
		changed = changed || r != l || !ok
		if ok {
			kept = append(kept, r)
		}
	}
	if !changed {
		return nil
	}
	return rewriteHistory(path, kept)
}
