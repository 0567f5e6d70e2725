// Package exectest has helpers for tests that run real tools.
package exectest

import (
	"os"
	osexec "os/exec"
	"testing"
)

// RequireTools skips t when a tool is missing from PATH, or fails it when
// VRUN_REQUIRE_REAL_TOOLS=1 (set by CI, where `make test` installs them):
// a real-tool test must never silently stop running.
func RequireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := osexec.LookPath(tool); err != nil {
			Unavailable(t, tool+" is not installed")
		}
	}
}

// RequireRoot is RequireTools for tests that need root (loop devices,
// namespaces).
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, "needs root")
	}
}

// Unavailable skips t, or fails it under VRUN_REQUIRE_REAL_TOOLS=1.
func Unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("VRUN_REQUIRE_REAL_TOOLS") == "1" {
		t.Fatalf("real-tool test cannot run (%s) and VRUN_REQUIRE_REAL_TOOLS=1", why)
	}
	t.Skip(why)
}
