package exectest

import (
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// blockLock is this test process's hold on the cross-process lock: flock
// belongs to an open file, so a second open in the same process would
// wait for the first; nested holders share it instead.
var blockLock struct {
	sync.Mutex
	n int
	f *os.File
}

// LockBlockDevices serialises, across test processes, the tests that
// attach loop devices and run e2fsck, mkfs or LVM on them: `go test ./...`
// runs packages in parallel, and e2fsck refused a device as "in use" while
// another package's test was working on loop devices. The lock is held
// until the test ends.
func LockBlockDevices(t testing.TB) {
	t.Helper()
	blockLock.Lock()
	defer blockLock.Unlock()
	if blockLock.n == 0 {
		f, err := os.OpenFile(filepath.Join(os.TempDir(), "vrun-block-device-tests.lock"), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			t.Fatal(err)
		}
		blockLock.f = f
	}
	blockLock.n++
	t.Cleanup(func() {
		blockLock.Lock()
		defer blockLock.Unlock()
		if blockLock.n--; blockLock.n == 0 {
			blockLock.f.Close() // releases the lock
		}
	})
}
