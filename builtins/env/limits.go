package env

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Limits bound what one run reads into memory, so a recipe that names
// /dev/zero or a runaway command fails with an error instead of being
// killed by the kernel. Zero fields take the defaults below.
type Limits struct {
	Read   int64 // bytes of a recipe, a load()ed file or a jsonnet file
	Output int64 // bytes of one command's stdout, and of its stderr
}

// The defaults: far above any recipe or tool output vrun parses.
const (
	DefaultMaxRead   = 16 << 20
	DefaultMaxOutput = 256 << 20
)

// MaxRead returns the read limit in force.
func (l Limits) MaxRead() int64 {
	if l.Read > 0 {
		return l.Read
	}
	return DefaultMaxRead
}

// MaxOutput returns the command output limit in force.
func (l Limits) MaxOutput() int64 {
	if l.Output > 0 {
		return l.Output
	}
	return DefaultMaxOutput
}

// TooLargeError is a file longer than the read limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the limit on files vrun reads (raise it with VRUN_MAX_READ, e.g. VRUN_MAX_READ=64M)", e.Path, FormatBytes(e.Limit))
}

// ReadFile reads at most limit bytes of path, or fails with a
// *TooLargeError. It returns when ctx ends even if the open or a read
// blocks (a FIFO without a writer, a stalled network file system); the
// blocked goroutine ends with the process.
func ReadFile(ctx context.Context, path string, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := readLimited(path, limit)
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("reading %s: %w", path, context.Cause(ctx))
	}
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, nil
}

// FormatBytes renders a byte count for messages: "16 MiB", "1.5 GiB".
func FormatBytes(n int64) string {
	const unit = 1 << 10
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, i := float64(n), -1
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.4g %ciB", f, "KMGTP"[i])
}

// IsTooLarge reports whether err is a read past the limit.
func IsTooLarge(err error) bool {
	var tl *TooLargeError
	return errors.As(err, &tl)
}
