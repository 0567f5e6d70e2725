package core_test

import (
	"bytes"
	"context"
	"strings"

	"go.starlark.net/starlark"
	"testing"

	"github.com/vrun-dev/vrun/builtins/core"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/exec/exectest"
	"github.com/vrun-dev/vrun/builtins/modtest"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp"
)

func execSim(t *testing.T, h *sim.Host, src string) starlark.StringDict {
	t.Helper()
	var buf bytes.Buffer
	in := interp.MustNew(interp.Options{Ctx: context.Background(), Stdout: &buf, Stderr: &buf, SimHost: h})
	g, err := in.ExecFile(in.Thread("t"), "t.star", []byte(src))
	if err != nil {
		t.Fatalf("%s", interp.Render(err))
	}
	return g
}

func coreModule(name string) *starutil.Module {
	for _, m := range core.Modules() {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// TestServiceSystemd: on the simulated host (systemctl) a unit is started
// and enabled once; a second call changes nothing; an unknown one fails.
func TestServiceSystemd(t *testing.T) {
	h := sim.New()
	h.WithLock(func(h *sim.Host) { sim.AccountsOf(h).AddService("httpd") })
	g := execSim(t, h, `
s0 = service.status("httpd")
started = service.start("httpd")
again = service.start("httpd")
enabled = service.enable("httpd")
enabled_again = service.enable("httpd")
s1 = service.status("httpd")
unknown = catch(service.status, "nosuch").error
dash = catch(service.start, "-x").error
slash = catch(service.start, "../x").error
`)
	got := exectest.Normalized(t, g, nil, "s0", "started", "again", "enabled", "enabled_again", "s1", "unknown", "dash", "slash")
	for _, want := range []string{`"started": true`, `"again": false`, `"enabled": true`, `"enabled_again": false`,
		`"active": true`, `"manager": "systemd"`, `Failed to get unit file state for nosuch.service`, `got \"-x\", want a service name`, `got \"../x\"`} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s:\n%s", want, got)
		}
	}
}

// TestServiceSysVReal reads cron's status the SysV way on this machine
// (no systemd running, /etc/init.d/cron and its rc2.d link from the
// package): read-only, nothing is started.
func TestServiceSysVReal(t *testing.T) {
	exectest.RequireTools(t, "crontab", "ls")
	g := modtest.MustExec(t, &exec.Local{}, `s = service.status("cron")`, coreModule("service"))
	got := exectest.Normalized(t, g, nil, "s")
	if !strings.Contains(got, `"manager": "sysv"`) && !strings.Contains(got, `"manager": "systemd"`) {
		t.Errorf("status: %s", got)
	}
	if strings.Contains(got, `"manager": "sysv"`) && !strings.Contains(got, `"enabled": true`) {
		t.Errorf("cron's S01cron link not read as enabled: %s", got)
	}
}
