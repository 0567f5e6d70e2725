package recipes_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/cloudstack/csim"
	"github.com/vrun-dev/vrun/builtins/cloudstack/cssim"
	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/interp"
	"github.com/vrun-dev/vrun/interp/startest"
)

// runCoreOS runs the recipe on a fresh simulated world at 1e6x speed with
// the given simulator faults, returning its result, error, output and host.
func runCoreOS(t *testing.T, faults []string, args ...string) (starlark.Value, error, string, *sim.Host) {
	t.Helper()
	return runCoreOSOn(t, nil, faults, args...)
}

// runCoreOSOn is runCoreOS with setup run first on the fresh host, locked.
func runCoreOSOn(t *testing.T, setup func(h *sim.Host), faults []string, args ...string) (starlark.Value, error, string, *sim.Host) {
	t.Helper()
	h := startest.SimHost(t)
	if setup != nil {
		h.WithLock(setup)
	}
	h.WithLock(func(h *sim.Host) {
		for _, spec := range faults {
			f, err := csim.ParseFault(spec)
			if err != nil {
				t.Fatal(err)
			}
			cssim.Server(h).AddFault(f)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out strings.Builder
	in := interp.MustNew(interp.Options{Ctx: ctx, Stdout: &out, Stderr: &out, SimHost: h,
		Clock: env.NewScaledClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1e6)})
	res, err := in.RunRecipe("coreos-template.star", args)
	return res, err, out.String(), h
}

func field(t *testing.T, d starlark.Value, key string) string {
	t.Helper()
	v, found, err := d.(*starlark.Dict).Get(starlark.String(key))
	if err != nil || !found {
		t.Fatalf("result %s has no %q", d, key)
	}
	return string(v.(starlark.String))
}

func TestCoreOSTemplate(t *testing.T) {
	res, err, out, h := runCoreOS(t, nil, "--channel", "beta")
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	tpl := field(t, res, "template")
	if !strings.Contains(out, "template "+tpl+" (coreos-cluster-tpl) is ready") {
		t.Errorf("output does not name the template:\n%s", out)
	}
	var install []string
	var content string
	h.WithLock(func(h *sim.Host) {
		for _, c := range h.Log {
			if c.Argv[0] == "coreos-install" {
				install = c.Argv
			}
		}
		content, _ = cssim.Server(h).TemplateContent(tpl)
	})
	// The workstation has two data disks: the new one is the fourth disk, as in the seed.
	if got := strings.Join(install, " "); got != "coreos-install -d /dev/sdd -C beta -c /tmp/coreos-cloud-config.yml" {
		t.Errorf("coreos-install argv: %s", got)
	}
	if !strings.HasPrefix(content, "#cloud-config\n") || !strings.Contains(content, "ssh-rsa") || strings.Contains(content, "discovery") {
		t.Errorf("the template's installed cloud-config:\n%s", content)
	}
}

// The discovery token goes into the deployed VM's user data, not the template.
func TestCoreOSTemplateDeploy(t *testing.T) {
	const token = "https://discovery.etcd.io/217d781a5ad5c7c4660bfbbc239bd0c0"
	res, err, out, h := runCoreOS(t, nil, "--deploy", "--discovery", token)
	if err != nil {
		t.Fatalf("%s\n%s", interp.Render(err), out)
	}
	var userdata, content string
	h.WithLock(func(h *sim.Host) {
		userdata, _ = cssim.Server(h).UserData(field(t, res, "vm"))
		content, _ = cssim.Server(h).TemplateContent(field(t, res, "template"))
	})
	if !strings.Contains(userdata, `discovery: "`+token+`"`) || !strings.Contains(userdata, `peer-addr: "$private_ipv4:7001"`) {
		t.Errorf("VM user data:\n%s", userdata)
	}
	if strings.Contains(content, token) {
		t.Errorf("the token was baked into the template:\n%s", content)
	}
}

// The seed's last step: deploy fails with 533. The error names the step, the
// job id, the error text, and every id created so far.
func TestCoreOSTemplateDeployFails(t *testing.T) {
	_, err, out, _ := runCoreOS(t, []string{"deployVirtualMachine=fail:533"}, "--deploy", "--discovery", "https://discovery.etcd.io/x")
	if err == nil {
		t.Fatalf("the recipe succeeded:\n%s", out)
	}
	msg := interp.Render(err)
	for _, re := range []string{
		`step 'deploy' failed: cloudstack.deployVirtualMachine: job [-0-9a-f]{36} \(deployVirtualMachine\) failed: jobresultcode 533, errorcode 533: Unable to create a deployment for VM\[User\|[-0-9a-f]{36}\]`,
		`(?m)^  volume [-0-9a-f]{36}$`, `(?m)^  snapshot [-0-9a-f]{36}$`, `(?m)^  template [-0-9a-f]{36}$`, `(?m)^  vm [-0-9a-f]{36} \(job [-0-9a-f]{36}\)$|job [-0-9a-f]{36} \(deployVirtualMachine\)`,
	} {
		if !regexp.MustCompile(re).MatchString(msg) {
			t.Errorf("error lacks %s:\n%s", re, msg)
		}
	}
	if code := interp.ExitCode(context.Background(), err); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
}

// A failure before anything exists says so; a failed snapshot lists the volume.
func TestCoreOSTemplateEarlyFailures(t *testing.T) {
	_, err, _, _ := runCoreOS(t, nil, "--workstation", "nobody")
	if msg := interp.Render(err); !strings.Contains(msg, `no virtual machine with displayname = "nobody"`) {
		t.Errorf("unknown workstation: %s", msg)
	}
	_, err, _, _ = runCoreOS(t, []string{"createSnapshot=cancel"})
	msg := interp.Render(err)
	if !regexp.MustCompile(`step 'snapshot' failed: .* failed with jobresultcode 0 and no jobresult: CloudStack ends a job so when it cancels it for blocking others`).MatchString(msg) || !strings.Contains(msg, "  volume ") || strings.Contains(msg, "  template ") {
		t.Errorf("cancelled snapshot: %s", msg)
	}
}
