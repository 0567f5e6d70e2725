package fs

import (
	"context"
	"strings"
	"testing"

	"github.com/vrun-dev/vrun/builtins/exec"
)

// FuzzSimTools feeds arbitrary command lines to the fakes: whatever a
// recipe passes, they answer with a result, never a panic.
func FuzzSimTools(f *testing.F) {
	for _, s := range []string{
		"resize2fs /dev/loop1 ", "resize2fs /dev/loop1 30M", "mount -o", "findmnt -o", "df", "blockdev --getsize64",
		"mkfs.ext4", "e2fsck -f -y /dev/loop1", "dumpe2fs -h /dev/loop1", "umount /dev/loop1", "blkid -p -o export",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		argv := strings.Split(line, " ")
		h := simHost(map[string]int64{"/dev/loop1": 64 << 20})
		for _, prep := range [][]string{{"mkfs.ext4", "/dev/loop1"}, argv, {"mount", "/dev/loop1", "/mnt"}, argv} {
			_, _ = h.Run(context.Background(), exec.Cmd{Argv: prep})
		}
	})
}
