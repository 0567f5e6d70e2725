package exec

import (
	"context"
	"io/fs"
)

// Files moves whole files to and from a target without a command per call
// (SFTP on an SSH host). It is optional: builtins fall back to cat, dd and
// test through Run when the target's executor does not offer it.
//
// Errors wrap fs.ErrNotExist and fs.ErrPermission where they apply, so
// callers word them as they word the commands' failures.
type Files interface {
	// ReadFile returns the content of path; more than max bytes (max > 0)
	// is an *OutputLimitError.
	ReadFile(ctx context.Context, path string, max int64) ([]byte, error)
	// WriteFile replaces path's content as dd of=path does: created with
	// the target's default mode when absent, its mode kept otherwise, then
	// set to mode when setMode.
	WriteFile(ctx context.Context, path string, data []byte, mode fs.FileMode, setMode bool) error
	// Stat describes path, following symbolic links as test -e does.
	Stat(ctx context.Context, path string) (fs.FileInfo, error)
}

// FileTransfer is implemented by executors that may offer Files. Files
// returns nil when this executor must not (an SSH host under become, whose
// files are sudo's to touch). A wrapper that must see every change (a
// dry-run or counting layer) implements FileTransfer itself; other
// wrappers are looked through.
type FileTransfer interface {
	Files() Files
}

// FilesOf returns the Files of ex's chain, or nil when file commands must
// be used.
func FilesOf(ex Executor) Files {
	if ft, ok := Find[FileTransfer](ex); ok {
		return ft.Files()
	}
	return nil
}
