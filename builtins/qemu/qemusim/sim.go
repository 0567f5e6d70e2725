package qemusim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/qemu"
	"github.com/vrun-dev/vrun/builtins/sim"
)

// The qemu-img fake answers like qemu-img 7.2 (messages and exit codes
// measured on Debian 12, notes/machine.md), for raw and qcow2 images. For
// sheepdog: names it acts as a sheepdog-era qemu (≤5.2) and creates the VDI
// in the simulated cluster (see sim_sheepdog.go).

type image struct {
	format    string
	size      int64
	backing   string
	backFmt   string
	snapshots []qemu.Snapshot
}

// images are the formats of the image files on the host, by path (the
// files themselves are host files).
type images map[string]*image

// slot keeps the images in the host's world (the world file's "qemu").
var slot = sim.Slot[*images]{Key: "qemu", New: func() *images { return &images{} }}

func state(h *sim.Host) images { return *slot.Get(h) }

// Install installs the qemu-img and qemu-system-x86_64 fakes on h.
func Install(h *sim.Host) {
	slot.Declare(h)
	h.Register("qemu-img", qemuImg)
	h.Register("qemu-system-x86_64", qemuSystem)
}

func failf(format string, args ...any) exec.Result {
	return sim.Fail(1, fmt.Sprintf(format, args...))
}

func notFound(p string) exec.Result {
	return failf("qemu-img: Could not open '%s': Could not open '%s': No such file or directory\n", p, p)
}

// lookup returns the image at p: a file on the host, of the recorded
// format, or raw when something else wrote it.
func lookup(h *sim.Host, p string) (*image, bool) {
	data, ok := h.ReadFile(p)
	if !ok {
		return nil, false
	}
	if img, ok := state(h)[p]; ok {
		return img, true
	}
	return &image{format: "raw", size: int64(len(data))}, true
}

func store(h *sim.Host, p string, img *image) {
	header := []byte{}
	if img.format == "qcow2" {
		header = []byte("QFI\xfb")
	}
	h.WriteFile(p, header, 0o644)
	state(h)[p] = img
}

// flags splits argv after the subcommand into options and positionals;
// withArg lists the options that take a value.
func flags(args []string, withArg string) (map[string]string, []string) {
	opts, pos := map[string]string{}, []string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "--") {
			opts[k] = v
		} else if strings.Contains(withArg, " "+a+" ") && i+1 < len(args) {
			opts[a] = args[i+1]
			i++
		} else if strings.HasPrefix(a, "-") && len(a) > 1 {
			opts[a] = ""
		} else {
			pos = append(pos, a)
		}
	}
	return opts, pos
}

// parseImgSize is qemu's: a number with an optional k, M, G, T, P or E
// (powers of 1024; "b" is bytes), and "+N"/"-N" where relative sizes work.
func parseImgSize(s string) (int64, bool) {
	mult := map[byte]float64{'b': 1, 'k': 1 << 10, 'K': 1 << 10, 'm': 1 << 20, 'M': 1 << 20, 'g': 1 << 30, 'G': 1 << 30,
		't': 1 << 40, 'T': 1 << 40, 'p': 1 << 50, 'P': 1 << 50, 'e': 1 << 60, 'E': 1 << 60}
	m := 1.0
	if n := len(s); n > 0 {
		if f, ok := mult[s[n-1]]; ok {
			m, s = f, s[:n-1]
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*m > 1<<62 {
		return 0, false
	}
	return int64(f * m), true
}

const badSize = "qemu-img: Invalid image size specified. You may use k, M, G, T, P or E suffixes for\nqemu-img: kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.\n"

func qemuImg(_ context.Context, h *sim.Host, c exec.Cmd) exec.Result {
	if len(c.Argv) < 2 {
		return failf("qemu-img: Not enough arguments\nTry 'qemu-img --help' for more information\n")
	}
	args := c.Argv[2:]
	switch c.Argv[1] {
	case "create":
		return imgCreateSim(h, args)
	case "info":
		return imgInfoSim(h, args)
	case "convert":
		return imgConvertSim(h, args)
	case "resize":
		return imgResizeSim(h, args)
	case "snapshot":
		return imgSnapshotSim(h, args)
	case "--version", "-V":
		return sim.OK("qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n")
	}
	return failf("qemu-img: Command not found: %s\nTry 'qemu-img --help' for more information\n", c.Argv[1])
}

func imgCreateSim(h *sim.Host, args []string) exec.Result {
	opts, pos := flags(args, " -f -F -b -o ")
	if len(pos) == 0 {
		return failf("qemu-img: Expecting image file name\nTry 'qemu-img --help' for more information\n")
	}
	p, fmtName := pos[0], opts["-f"]
	if _, given := opts["-f"]; !given {
		fmtName = "raw" // an explicit -f '' is an unknown format, as in qemu-img
	}
	img := &image{format: fmtName, backing: opts["-b"], backFmt: opts["-F"]}
	if len(pos) > 1 {
		n, ok := parseImgSize(pos[1])
		if !ok || strings.HasPrefix(pos[1], "+") {
			return failf(badSize)
		}
		img.size = n
	}
	if isSheepdog(p) {
		return createVDI(h, p, img, len(pos) > 1)
	}
	if fmtName != "raw" && fmtName != "qcow2" {
		return failf("qemu-img: %s: Unknown file format '%s'\n", p, fmtName)
	}
	if img.backing != "" {
		back, ok := lookup(h, img.backing)
		switch {
		case !ok:
			return failf("qemu-img: %s: Could not open '%s': No such file or directory\nCould not open backing image.\n", p, img.backing)
		case img.backFmt == "":
			return failf("qemu-img: %s: Backing file specified without backing format\nDetected format of %s.", p, back.format)
		case len(pos) < 2:
			img.size = back.size
		}
	} else if len(pos) < 2 {
		return failf("qemu-img: %s: Image creation needs a size parameter\n", p)
	}
	if p == "" { // qemu-img announces the image, then cannot open ''
		r := failf("qemu-img: : Could not create '': No such file or directory\n")
		r.Stdout = []byte(formatting(p, img))
		return r
	}
	store(h, p, img)
	return sim.OK(formatting(p, img))
}

func imgConvertSim(h *sim.Host, args []string) exec.Result {
	opts, pos := flags(args, " -f -O -o ")
	if len(pos) < 2 {
		return failf("qemu-img: Must specify image file name\nTry 'qemu-img --help' for more information\n")
	}
	src, ok := lookup(h, pos[0])
	if !ok {
		return notFound(pos[0])
	}
	out := opts["-O"]
	if out == "" {
		out = "raw"
	}
	if out != "raw" && out != "qcow2" {
		return failf("qemu-img: Unknown file format '%s'\n", out)
	}
	store(h, pos[1], &image{format: out, size: src.size})
	return sim.OK("")
}

func imgResizeSim(h *sim.Host, args []string) exec.Result {
	opts, pos := flags(args, " -f -o ")
	if len(pos) < 2 {
		return failf("qemu-img: Expecting image file name and size\n")
	}
	img, ok := lookup(h, pos[0])
	if !ok {
		return notFound(pos[0])
	}
	n, ok := parseImgSize(strings.TrimLeft(pos[1], "+-"))
	if !ok {
		return failf(badSize)
	}
	switch pos[1][0] {
	case '+':
		n = img.size + n
	case '-':
		n = img.size - n
	}
	if _, shrink := opts["--shrink"]; n < img.size && !shrink {
		return failf("qemu-img: Use the --shrink option to perform a shrink operation.\nqemu-img: warning: Shrinking an image will delete all data beyond the shrunken image's end. Before performing such an operation, make sure there is no important data there.\n")
	}
	img.size = n
	store(h, pos[0], img)
	return sim.OK("Image resized.\n")
}

func imgSnapshotSim(h *sim.Host, args []string) exec.Result {
	opts, pos := flags(args, " -c -a -d ")
	if _, ok := opts["-f"]; ok { // snapshot probes the format: no -f
		return failf("qemu-img: unrecognized option '-f'\nTry 'qemu-img --help' for more information\n")
	}
	if len(pos) < 1 {
		return failf("qemu-img: Expecting one image file name\nTry 'qemu-img --help' for more information\n")
	}
	img, ok := lookup(h, pos[0])
	if !ok {
		return notFound(pos[0])
	}
	warn := ""
	if _, list := opts["-l"]; img.format == "raw" && !list { // -l opens read-only
		warn = fmt.Sprintf("WARNING: Image format was not specified for '%s' and probing guessed raw.\n         Automatically detecting the format is dangerous for raw images, write operations on block 0 will be restricted.\n         Specify the 'raw' format explicitly to remove the restrictions.\n", pos[0])
	}
	fail := func(msg string, args ...any) exec.Result { return failf(warn+msg, args...) }
	switch {
	case opts["-c"] != "":
		if img.format == "raw" {
			return fail("qemu-img: Could not create snapshot '%s': -95 (Operation not supported)\n", opts["-c"])
		}
		next := 1
		for _, s := range img.snapshots {
			if id, _ := strconv.Atoi(s.ID); id >= next {
				next = id + 1
			}
		}
		now := time.Now()
		img.snapshots = append(img.snapshots, qemu.Snapshot{Name: opts["-c"], ID: strconv.Itoa(next), DateSec: now.Unix(), DateNsec: int64(now.Nanosecond())})
	case opts["-a"] != "":
		if i, _ := qemu.SnapshotTarget(img.snapshots, "-a", opts["-a"]); i < 0 {
			return fail("qemu-img: Could not apply snapshot '%s': Failed to load snapshot: No such file or directory\n", opts["-a"])
		}
	case opts["-d"] != "":
		i, _ := qemu.SnapshotTarget(img.snapshots, "-d", opts["-d"])
		if i < 0 {
			return fail("qemu-img: Could not delete snapshot '%s': snapshot not found\n", opts["-d"])
		}
		img.snapshots = append(img.snapshots[:i], img.snapshots[i+1:]...)
	default: // -l
		return exec.Result{Stdout: []byte(snapshotTable(img.snapshots)), Stderr: []byte(warn)}
	}
	store(h, pos[0], img)
	return exec.Result{Stderr: []byte(warn)}
}

// snapshotTable is `snapshot -l` (block/qapi.c bdrv_snapshot_dump); empty
// without snapshots.
func snapshotTable(snaps []qemu.Snapshot) string {
	if len(snaps) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Snapshot list:\n%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT")
	for _, s := range snaps {
		date := time.Unix(s.DateSec, 0).Format("2006-01-02 15:04:05")
		fmt.Fprintf(&b, "%-9s %-17s %7s%20s%13s%11d\n", s.ID, s.Name, fmt.Sprintf("%d B", s.VMStateSize), date, "00:00:00.000", s.ICount)
	}
	return b.String()
}
