package core

import (
	"errors"
	"fmt"
	"io/fs"
)

// trace shows a file transfer under -v as a command would be shown.
func (f *files) trace(op, path string) {
	if n := f.e.Target.Name; n != "" && n != "local" && n != "sim" {
		f.e.Tracef("[%s] sftp %s %s", n, op, path)
		return
	}
	f.e.Tracef("sftp %s %s", op, path)
}

// transferErr words a transfer's failure as cat and dd word theirs (the
// caller has handled a missing file where it is not an error).
func (f *files) transferErr(op, path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s %s: Permission denied", op, path)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: No such file or directory", op, path)
	}
	return cause(f.e, err)
}
