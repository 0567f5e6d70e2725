package sshexec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/pkg/sftp"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// Files offers SFTP on the host's connection, except under become: sudo
// guards those files, and the login user's SFTP server would bypass it.
func (x *Executor) Files() exec.Files {
	if x.Become {
		return nil
	}
	return sftpFiles{x.link}
}

// sftpFiles is exec.Files over the link's one SFTP client.
type sftpFiles struct{ l *link }

// SFTPClients counts the SFTP clients opened so far, for tests and traces.
func (x *link) SFTPClients() int {
	x.sftpMu.Lock()
	defer x.sftpMu.Unlock()
	return x.sftpOpened
}

// sftpClient returns the SFTP client of the live connection, opening one
// (one session, held) per connection.
func (x *link) sftpClient(ctx context.Context) (*sftp.Client, error) {
	conn, err := x.conn(ctx)
	if err != nil {
		return nil, err
	}
	x.sftpMu.Lock()
	defer x.sftpMu.Unlock()
	if x.sftpc != nil && x.sftpOn == conn {
		return x.sftpc, nil
	}
	if x.sftpc != nil {
		x.sftpc.Close()
		x.sftpc = nil
	}
	c, err := sftp.NewClient(conn)
	if err != nil {
		return nil, fmt.Errorf("ssh %s: cannot start SFTP (is the sftp subsystem enabled in sshd_config?): %v", x.Settings.Alias, err)
	}
	x.sftpc, x.sftpOn = c, conn
	x.sftpOpened++
	return c, nil
}

// dropSFTP closes c if it is still the link's client: a cancelled
// transfer leaves it in an unknown state.
func (x *link) dropSFTP(c *sftp.Client) {
	x.sftpMu.Lock()
	if x.sftpc == c {
		x.sftpc = nil
	}
	x.sftpMu.Unlock()
	c.Close()
}

// do runs op on the SFTP client; cancelling ctx closes the client, which
// ends op.
func (f sftpFiles) do(ctx context.Context, what, path string, op func(*sftp.Client) error) error {
	// sftp-server reads paths as C strings: "/etc/x\x00y" would act on
	// /etc/x.
	if strings.ContainsRune(path, 0) {
		return fmt.Errorf("ssh %s: path %q contains a NUL byte, which no file name can hold", f.l.Settings.Alias, path)
	}
	c, err := f.l.sftpClient(ctx)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- op(c) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		f.l.dropSFTP(c)
		<-done
		return ctx.Err()
	}
	if err == nil {
		return nil
	}
	var ole *exec.OutputLimitError
	switch {
	case errors.Is(err, sftp.ErrSSHFxConnectionLost), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		f.l.dropSFTP(c)
		return fmt.Errorf("ssh %s: connection lost during SFTP %s of %s: its outcome on the host is unknown", f.l.Settings.Alias, what, path)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission), errors.Is(err, errIsDir), errors.As(err, &ole):
		return err
	}
	return fmt.Errorf("ssh %s: SFTP %s %s: %v", f.l.Settings.Alias, what, path, err)
}

func (f sftpFiles) ReadFile(ctx context.Context, path string, max int64) ([]byte, error) {
	var data []byte
	err := f.do(ctx, "read", path, func(c *sftp.Client) error {
		r, err := c.Open(path)
		if err != nil {
			return &fs.PathError{Op: "read", Path: path, Err: err}
		}
		defer r.Close()
		if st, err := r.Stat(); err == nil && st.IsDir() {
			return &fs.PathError{Op: "read", Path: path, Err: errIsDir}
		}
		src := io.Reader(r)
		if max > 0 {
			src = io.LimitReader(r, max+1)
		}
		if data, err = io.ReadAll(src); err != nil {
			return err
		}
		if max > 0 && int64(len(data)) > max {
			return &exec.OutputLimitError{Argv: []string{"sftp-read", path}, Limit: max}
		}
		return nil
	})
	return data, err
}

var errIsDir = errors.New("Is a directory")

func (f sftpFiles) WriteFile(ctx context.Context, path string, data []byte, mode fs.FileMode, setMode bool) error {
	return f.do(ctx, "write", path, func(c *sftp.Client) error {
		w, err := c.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		if err != nil {
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		if _, err := w.Write(data); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		if setMode {
			if err := c.Chmod(path, mode); err != nil {
				return &fs.PathError{Op: "chmod", Path: path, Err: err}
			}
		}
		return nil
	})
}

func (f sftpFiles) Stat(ctx context.Context, path string) (fs.FileInfo, error) {
	var st fs.FileInfo
	err := f.do(ctx, "stat", path, func(c *sftp.Client) error {
		var err error
		if st, err = c.Stat(path); err != nil {
			return &fs.PathError{Op: "stat", Path: path, Err: err}
		}
		return nil
	})
	return st, err
}

var _ exec.FileTransfer = (*Executor)(nil)
