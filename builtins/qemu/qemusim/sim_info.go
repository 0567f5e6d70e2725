package qemusim

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/qemu"
	"github.com/vrun-dev/vrun/builtins/sim"
)

const qcow2Specific = `{"compat": "1.1", "compression-type": "zlib", "lazy-refcounts": false, "refcount-bits": 16, "corrupt": false, "extended-l2": false}`

// imgInfoSim prints `info --output=json` in qemu 7.2's key order (the
// qemu.ImageInfo field order) with its 4-space indent.
func imgInfoSim(h *sim.Host, args []string) exec.Result {
	opts, pos := flags(args, " -f ")
	if len(pos) == 0 {
		return failf("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n")
	}
	if opts["--output"] != "json" {
		return failf("qemu-img: the simulated qemu-img prints info only with --output=json\n")
	}
	p := pos[0]
	if isSheepdog(p) {
		return vdiInfo(h, p)
	}
	img, ok := lookup(h, p)
	if !ok {
		return notFound(p)
	}
	info := qemu.ImageInfo{VirtualSize: img.size, Filename: p, Format: img.format, ActualSize: 4096}
	switch f := opts["-f"]; {
	case f == "qcow2" && img.format != "qcow2":
		return failf("qemu-img: Could not open '%s': Image is not in qcow2 format\n", p)
	case f == "raw" && img.format == "qcow2":
		info.Format, info.VirtualSize = "raw", 197120 // the qcow2 metadata, read as bytes
	case img.format == "qcow2":
		info.Snapshots, info.ClusterSize = img.snapshots, 65536
		info.ActualSize = 200704 + 8192*int64(len(img.snapshots))
		info.FormatSpecific = &qemu.Specific{Type: "qcow2", Data: json.RawMessage(qcow2Specific)}
		if img.backing != "" {
			info.BackingFormat, info.BackingFilename, info.FullBackingFilename = img.backFmt, img.backing, img.backing
		}
	}
	out, err := json.MarshalIndent(info, "", "    ")
	if err != nil {
		return failf("qemu-img: %v\n", err)
	}
	return sim.OK(string(out) + "\n")
}

// qemuSystem checks the argv like qemu's option parser would and "boots":
// with -daemonize it returns at once; otherwise the guest powers off at
// once. -enable-kvm without /dev/kvm fails as qemu does.
func qemuSystem(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	prog := c.Argv[0]
	kvm := false
	for i := 1; i < len(c.Argv); i++ {
		a := c.Argv[i]
		switch a {
		case "-enable-kvm":
			kvm = true
		case "-nographic", "-daemonize":
		case "-m", "-smp", "-boot", "-drive", "-cdrom", "-netdev", "-device", "-name", "-accel", "-serial", "-monitor", "-vnc", "-machine", "-cpu", "-net":
			if i+1 == len(c.Argv) {
				return sim.Fail(1, fmt.Sprintf("%s: %s: requires an argument\n", prog, a))
			}
			i++
			if a == "-accel" && c.Argv[i] == "kvm" {
				kvm = true
			}
			if a == "-cdrom" || a == "-drive" {
				if r, ok := checkMedium(h, prog, a, c.Argv[i]); !ok {
					return r
				}
			}
		default:
			return sim.Fail(1, fmt.Sprintf("%s: %s: invalid option\n", prog, a))
		}
	}
	if _, ok := h.ReadFile("/dev/kvm"); kvm && !ok {
		return sim.Fail(1, "Could not access KVM kernel module: No such file or directory\n"+prog+": failed to initialize kvm: No such file or directory\n")
	}
	return sim.OK("")
}

// checkMedium fails like qemu when a drive's file does not exist.
func checkMedium(h *sim.Host, prog, opt, val string) (exec.Result, bool) {
	file := val
	if opt == "-drive" {
		file = ""
		for _, kv := range strings.Split(strings.ReplaceAll(val, ",,", "\x00"), ",") {
			if f, ok := strings.CutPrefix(kv, "file="); ok {
				file = strings.ReplaceAll(f, "\x00", ",")
			}
		}
	}
	if file == "" || isSheepdog(file) {
		return exec.Result{}, true
	}
	if _, ok := h.ReadFile(file); !ok {
		return sim.Fail(1, fmt.Sprintf("%s: %s %s: Could not open '%s': No such file or directory\n", prog, opt, val, file)), false
	}
	return exec.Result{}, true
}

// formatting is qemu-img create's first line, naming what it makes.
func formatting(p string, img *image) string {
	if img.format == "raw" {
		return fmt.Sprintf("Formatting '%s', fmt=raw size=%d\n", p, img.size)
	}
	back := ""
	if img.backing != "" {
		back = fmt.Sprintf(" backing_file=%s backing_fmt=%s", img.backing, img.backFmt)
	}
	return fmt.Sprintf("Formatting '%s', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size=%d%s lazy_refcounts=off refcount_bits=16\n", p, img.size, back)
}
