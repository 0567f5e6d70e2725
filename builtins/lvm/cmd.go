package lvm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/interp/env"
	"github.com/vrun-dev/vrun/interp/exec"
)

// reportArgv builds a JSON report command with byte units. Extra LVM
// configuration (a test's metadata-only mode) comes from the executor's
// environment (LVM_SYSTEM_DIR), never from here, so the argv is the same
// on every host.
func reportArgv(tool string, fields []string, args ...string) []string {
	return append([]string{tool, "--reportformat", "json", "--units", "b", "--nosuffix", "-o", strings.Join(fields, ",")}, args...)
}

// run runs an LVM command; a failure becomes "<what LVM said>" followed by
// the argv, exit code and stderr tail.
func run(e *env.Env, argv []string, mutate bool) (exec.Result, error) {
	res, err := e.Run(exec.Cmd{Argv: argv, Mutate: mutate})
	if err != nil {
		return res, err
	}
	if res.Code != 0 {
		ee := &exec.ExitError{Result: res}
		if p := Problem(res.Stderr); p != "" {
			return res, fmt.Errorf("%s\n%w", p, ee)
		}
		return res, ee
	}
	return res, nil
}

func listPVs(e *env.Env, args ...string) ([]PV, error) {
	res, err := run(e, reportArgv("pvs", PVFields, args...), false)
	if err != nil {
		return nil, err
	}
	return ParsePVs(res.Stdout)
}

func listVGs(e *env.Env, args ...string) ([]VG, error) {
	res, err := run(e, reportArgv("vgs", VGFields, args...), false)
	if err != nil {
		return nil, err
	}
	return ParseVGs(res.Stdout)
}

func listLVs(e *env.Env, args ...string) ([]LV, error) {
	res, err := run(e, reportArgv("lvs", LVFields, args...), false)
	if err != nil {
		return nil, err
	}
	return ParseLVs(res.Stdout)
}

// getLV reads one LV and its VG (for the extent size).
func getLV(e *env.Env, ref string) (LV, VG, error) {
	lvs, err := listLVs(e, ref)
	if err != nil {
		return LV{}, VG{}, err
	}
	if len(lvs) != 1 {
		return LV{}, VG{}, fmt.Errorf("logical volume %q not found", ref)
	}
	vgs, err := listVGs(e, lvs[0].VG)
	if err != nil {
		return LV{}, VG{}, err
	}
	if len(vgs) != 1 {
		return LV{}, VG{}, fmt.Errorf("volume group %q not found", lvs[0].VG)
	}
	return lvs[0], vgs[0], nil
}

// LVRef turns the ways operators name an LV ("vg/lv", "/dev/vg/lv",
// "/dev/mapper/vg-lv") into LVM's "vg/lv".
func LVRef(name string) (string, error) {
	if rest, ok := strings.CutPrefix(name, "/dev/mapper/"); ok {
		// device-mapper doubles dashes inside names: vg--a-lv--b is vg-a/lv-b.
		for i := 0; i < len(rest); i++ {
			if rest[i] == '-' {
				if i+1 < len(rest) && rest[i+1] == '-' {
					i++
					continue
				}
				vg := strings.ReplaceAll(rest[:i], "--", "-")
				lv := strings.ReplaceAll(rest[i+1:], "--", "-")
				if vg != "" && lv != "" {
					return vg + "/" + lv, nil
				}
			}
		}
		return "", fmt.Errorf("cannot read %q as /dev/mapper/VG-LV", name)
	}
	if err := starutil.Operand(name, "a logical volume"); err != nil {
		return "", err
	}
	ref := strings.TrimPrefix(name, "/dev/")
	vg, lv, ok := strings.Cut(ref, "/")
	if !ok || vg == "" || lv == "" || strings.Contains(lv, "/") {
		return "", fmt.Errorf("got %q, want a logical volume as \"vg/lv\", \"/dev/vg/lv\" or \"/dev/mapper/vg-lv\"", name)
	}
	return ref, nil
}

// sizeArg renders bytes for -L: LVM reads a trailing b as bytes.
func sizeArg(n int64) string { return strconv.FormatInt(n, 10) + "b" }

// roundUp rounds n up to whole extents, as LVM does; a size so large that
// rounding it overflows is refused.
func roundUp(n, extent int64) (int64, error) {
	if extent <= 0 {
		return n, nil
	}
	if n > math.MaxInt64-(extent-1) {
		return 0, fmt.Errorf("size %d is too large", n)
	}
	return (n + extent - 1) / extent * extent, nil
}

// inGiB renders a size for messages in GiB, the unit operators size LVs in.
func inGiB(n int64) string { return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30)) }
