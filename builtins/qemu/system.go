package qemu

import (
	"fmt"
	"strconv"
	"strings"
)

// Drive is one -drive option.
type Drive struct {
	File      string
	Format    string // raw, qcow2, ...; empty lets qemu probe
	Interface string // if=: virtio, ide, scsi, none
	Cache     string // none, writeback, writethrough, directsync, unsafe
	Media     string // disk or cdrom
	Index     int    // -1: unset
	ReadOnly  bool
}

// System is a qemu-system command line.
type System struct {
	Binary    string
	Drives    []Drive
	CDROM     string
	Boot      string // "d" (cdrom), "c" (disk), "n", or "order=dc"
	MemoryMiB int64
	SMP       int
	KVM       bool
	NoGraphic bool
	Daemonize bool
	Extra     []string
}

// maxSMP is the most vCPUs any qemu-system machine type accepts (x86 q35
// allows 4096 since QEMU 8.1; older and other machines fewer).
const maxSMP = 4096

var driveCaches = map[string]bool{"none": true, "writeback": true, "writethrough": true, "directsync": true, "unsafe": true}

// Validate reports what qemu would refuse, before anything runs.
func (s System) Validate() error {
	for _, d := range s.Drives {
		switch {
		case d.File == "":
			return fmt.Errorf("drive without a file")
		case d.Cache != "" && !driveCaches[d.Cache]:
			return fmt.Errorf("drive %s: cache %q, want one of none, writeback, writethrough, directsync, unsafe", d.File, d.Cache)
		case d.Media != "" && d.Media != "disk" && d.Media != "cdrom":
			return fmt.Errorf("drive %s: media %q, want disk or cdrom", d.File, d.Media)
		}
	}
	if b := strings.TrimPrefix(s.Boot, "order="); b != "" && strings.Trim(b, "abcdnp") != "" {
		return fmt.Errorf("boot %q, want letters of a, c, d, n (e.g. \"d\" for the cdrom, \"order=dc\")", s.Boot)
	}
	if s.MemoryMiB < 1 {
		return fmt.Errorf("memory must be at least 1 MiB")
	}
	if s.SMP < 1 || s.SMP > maxSMP {
		return fmt.Errorf("smp %d, want 1 to %d", s.SMP, maxSMP)
	}
	return nil
}

// Argv builds the command line, in the order an operator writes it.
func (s System) Argv() []string {
	argv := []string{s.Binary}
	if s.KVM {
		argv = append(argv, "-enable-kvm")
	}
	argv = append(argv, "-m", strconv.FormatInt(s.MemoryMiB, 10), "-smp", strconv.Itoa(s.SMP))
	if s.Boot != "" {
		argv = append(argv, "-boot", s.Boot)
	}
	for _, d := range s.Drives {
		argv = append(argv, "-drive", d.option())
	}
	if s.CDROM != "" {
		argv = append(argv, "-cdrom", s.CDROM)
	}
	if s.NoGraphic {
		argv = append(argv, "-nographic")
	}
	if s.Daemonize {
		argv = append(argv, "-daemonize")
	}
	return append(argv, s.Extra...)
}

// option renders file=...,k=v; a ',' in a value is doubled, as qemu's
// option parser wants.
func (d Drive) option() string {
	esc := func(v string) string { return strings.ReplaceAll(v, ",", ",,") }
	parts := []string{"file=" + esc(d.File)}
	kv := map[string]string{"format": d.Format, "if": d.Interface, "cache": d.Cache, "media": d.Media}
	keys := []string{"format", "if", "cache", "media"}
	for _, k := range keys {
		if kv[k] != "" {
			parts = append(parts, k+"="+esc(kv[k]))
		}
	}
	if d.Index >= 0 {
		parts = append(parts, "index="+strconv.Itoa(d.Index))
	}
	if d.ReadOnly {
		parts = append(parts, "readonly=on")
	}
	return strings.Join(parts, ",")
}

// MiB rounds a byte count up to whole MiB (qemu's -m unit).
func MiB(bytes int64) int64 { return (bytes + 1<<20 - 1) >> 20 }
