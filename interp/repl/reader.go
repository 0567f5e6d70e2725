package repl

import (
	"bufio"
	"errors"
	"io"
	"strings"

	"github.com/peterh/liner"
)

// ErrPromptInterrupted is returned by a LineReader when Ctrl-C is pressed at
// the prompt: the pending input is dropped and a fresh prompt follows.
var ErrPromptInterrupted = errors.New("interrupted at the prompt")

// LineReader is where the session's input comes from: a terminal with line
// editing, a pipe, or a script in tests.
type LineReader interface {
	// ReadLine shows prompt (if it shows prompts at all) and returns one
	// line without its newline; io.EOF at the end of input (Ctrl-D).
	ReadLine(prompt string) (string, error)
	// AddHistory records a line the user entered, for Up/Down recall.
	AddHistory(line string)
	Close() error
}

// HistoryReplacer is a LineReader whose recall list can be replaced, so a
// secret learnt after its line was entered leaves Up/Down recall too.
type HistoryReplacer interface {
	ReplaceHistory(lines []string)
}

// PlainReader reads lines from a pipe or file: no prompts, no editing.
type PlainReader struct{ sc *bufio.Scanner }

// NewPlainReader reads lines from r.
func NewPlainReader(r io.Reader) *PlainReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	return &PlainReader{sc: sc}
}

func (p *PlainReader) ReadLine(string) (string, error) {
	if p.sc.Scan() {
		return strings.TrimSuffix(p.sc.Text(), "\r"), nil
	}
	if err := p.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

func (p *PlainReader) AddHistory(string) {}
func (p *PlainReader) Close() error      { return nil }

// TerminalReader edits lines on the process's terminal with
// github.com/peterh/liner. Between prompts the terminal is put back in its
// normal mode, so Ctrl-C reaches vrun as SIGINT (cancelling the running
// statement) and typed characters echo while a command runs.
type TerminalReader struct {
	st       *liner.State
	orig     liner.ModeApplier // the terminal as vrun found it
	editMode liner.ModeApplier // liner's mode for editing
}

// NewTerminalReader starts line editing on stdin/stdout with complete for
// Tab and history (oldest first) for Up/Down.
func NewTerminalReader(complete liner.WordCompleter, history []string) *TerminalReader {
	orig, _ := liner.TerminalMode()
	st := liner.NewLiner()
	edit, _ := liner.TerminalMode()
	st.SetCtrlCAborts(true)
	st.SetTabCompletionStyle(liner.TabPrints)
	st.SetWordCompleter(complete)
	for _, h := range history {
		st.AppendHistory(h)
	}
	t := &TerminalReader{st: st, orig: orig, editMode: edit}
	t.restore()
	return t
}

func (t *TerminalReader) restore() {
	if t.orig != nil {
		_ = t.orig.ApplyMode()
	}
}

func (t *TerminalReader) ReadLine(prompt string) (string, error) {
	if t.editMode != nil {
		_ = t.editMode.ApplyMode()
	}
	defer t.restore()
	line, err := t.st.Prompt(prompt)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", ErrPromptInterrupted
	}
	return line, err
}

func (t *TerminalReader) AddHistory(line string) { t.st.AppendHistory(line) }

func (t *TerminalReader) ReplaceHistory(lines []string) {
	t.st.ClearHistory()
	for _, l := range lines {
		t.st.AppendHistory(l)
	}
}

func (t *TerminalReader) Close() error {
	err := t.st.Close()
	t.restore()
	return err
}
