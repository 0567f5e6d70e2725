package lvm

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
	"github.com/vrun-dev/vrun/builtins/tool"
)

// reportArgv builds a JSON report command with byte units. Extra LVM
// configuration (a test's metadata-only mode) comes from the executor's
// environment (LVM_SYSTEM_DIR), never from here, so the argv is the same
// on every host.
func reportArgv(tool string, fields []string, args ...string) []string {
	argv := []string{tool, "--reportformat", "json", "--units", "b", "--nosuffix", "-o", strings.Join(fields, ",")}
	if len(args) == 0 {
		return argv
	}
	return append(append(argv, "--"), args...)
}

// lvmTool is one LVM command run through the shared tool runner; a
// failure starts with what LVM said (Problem), then the argv, exit code and
// stderr tail.
func lvmTool(name string) tool.Tool {
	return tool.Tool{Name: name, Explain: func(r exec.Result) string { return Problem(r.Stderr) }}
}

// run runs argv, whose argv[0] is an LVM command, as a read or a change.
func run(e *env.Env, argv []string, mutate bool) (exec.Result, error) {
	return lvmTool(argv[0]).Run(e, tool.Cmd{Args: argv[1:]}, mutate)
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
// "/dev/mapper/vg-lv") into LVM's "vg/lv". Both names of the result are
// checked, whatever spelling they came in: un-escaping a /dev/mapper/ name
// must not let "-Sselect" through as a VG (lvremove would remove every LV).
func LVRef(name string) (string, error) {
	if err := starutil.Operand(name, "a logical volume"); err != nil {
		return "", err
	}
	var vg, lv string
	if rest, ok := strings.CutPrefix(name, "/dev/mapper/"); ok {
		// device-mapper doubles dashes inside names: vg--a-lv--b is vg-a/lv-b,
		// so the first single dash splits the VG from the LV.
		i := 0
		for ; i < len(rest); i++ {
			if rest[i] == '-' && (i+1 == len(rest) || rest[i+1] != '-') {
				break
			}
			if rest[i] == '-' {
				i++ // a doubled dash
			}
		}
		if i >= len(rest) {
			return "", fmt.Errorf("cannot read %q as /dev/mapper/VG-LV", name)
		}
		vg, lv = strings.ReplaceAll(rest[:i], "--", "-"), strings.ReplaceAll(rest[i+1:], "--", "-")
	} else {
		var ok bool
		vg, lv, ok = strings.Cut(strings.TrimPrefix(name, "/dev/"), "/")
		if !ok || strings.Contains(lv, "/") {
			return "", fmt.Errorf("got %q, want a logical volume as \"vg/lv\", \"/dev/vg/lv\" or \"/dev/mapper/vg-lv\"", name)
		}
	}
	if err := checkName(vg, "a volume group name"); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if err := checkName(lv, "a logical volume name"); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return vg + "/" + lv, nil
}

// checkName refuses what LVM would not take as a VG or LV name (letters,
// digits and "+_.-", no leading "-", not "." or ".."), before any argv is
// built: then the real host and the simulator answer the same.
func checkName(name, what string) error {
	if err := starutil.Operand(name, what); err != nil {
		return err
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+_.-", r)) {
			return fmt.Errorf("got %q, want %s of letters, digits and + _ . -", name, what)
		}
	}
	if name == "." || name == ".." || len(name) > 127 {
		return fmt.Errorf("got %q, want %s of 1 to 127 characters other than \".\" and \"..\"", name, what)
	}
	return nil
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
