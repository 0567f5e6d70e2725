package exec

import (
	"bytes"
	"fmt"
	"io"
)

// OutputLimitError is a command killed for writing more than
// Cmd.MaxOutput bytes to stdout or stderr.
type OutputLimitError struct {
	Argv  []string
	Limit int64
}

func (e *OutputLimitError) Error() string {
	limit := fmt.Sprintf("%d bytes", e.Limit)
	if e.Limit%(1<<20) == 0 {
		limit = fmt.Sprintf("%d MiB", e.Limit>>20)
	}
	return fmt.Sprintf("command %s wrote more than %s of output and was stopped (raise the limit with VRUN_MAX_OUTPUT, e.g. VRUN_MAX_OUTPUT=1G, or run(..., max_output = \"1G\"))", QuoteArgv(e.Argv), limit)
}

// capWriter keeps at most max bytes; the first write past it calls stop
// once and fails, which ends the copy from the command's pipe.
type capWriter struct {
	buf  *bytes.Buffer
	max  int64
	stop func(error)
}

func capped(buf *bytes.Buffer, max int64, stop func(error)) io.Writer {
	if max <= 0 {
		return buf
	}
	return &capWriter{buf: buf, max: max, stop: stop}
}

func (w *capWriter) Write(p []byte) (int, error) {
	if int64(w.buf.Len())+int64(len(p)) > w.max {
		err := &OutputLimitError{Limit: w.max}
		w.stop(err)
		return 0, err
	}
	return w.buf.Write(p)
}

// Capped is capped for executors outside this package (SSH): a writer
// keeping at most max bytes in buf, calling stop on the first write past
// it. max <= 0: no bound.
func Capped(buf *bytes.Buffer, max int64, stop func(error)) io.Writer {
	return capped(buf, max, stop)
}
