package qemusim

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/vrun-dev/vrun/builtins/collie/dogsim"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/qemu"
	"github.com/vrun-dev/vrun/builtins/sim"
)

func isSheepdog(p string) bool {
	return strings.HasPrefix(p, "sheepdog:") || strings.HasPrefix(p, "sheepdog+")
}

// vdiName reads the VDI and tag out of both syntaxes (qemu's
// parse_vdiname and sd_parse_uri).
func vdiName(p string) (vdi, tag string, ok bool) {
	if strings.HasPrefix(p, "sheepdog://") || strings.HasPrefix(p, "sheepdog+") {
		u, err := url.Parse(p)
		if err != nil || len(u.Path) < 2 {
			return "", "", false
		}
		return u.Path[1:], u.Fragment, true
	}
	parts := strings.Split(strings.TrimPrefix(p, "sheepdog:"), ":")
	if len(parts) >= 3 { // host:port:vdi[:tag]
		parts = parts[2:]
	}
	vdi = parts[0]
	if len(parts) > 1 {
		tag = parts[1]
	}
	return vdi, tag, vdi != ""
}

// createVDI is qemu-img create on a sheepdog: name as qemu ≤5.2 did it:
// the "Formatting" line, then sheep's answer; messages after qemu 1.x's
// block/sheepdog.c (do_sd_create) and block.c (bdrv_img_create).
func createVDI(h *sim.Host, p string, img *image, hasSize bool) exec.Result {
	vdi, _, ok := vdiName(p)
	if !ok {
		return failf("qemu-img: %s: Invalid argument\n", p)
	}
	if !hasSize {
		return failf("qemu-img: %s: Image creation needs a size parameter\n", p)
	}
	out := fmt.Sprintf("Formatting '%s', fmt=raw size=%d\n", p, img.size)
	var msg string
	dogsim.Use(h, func(cl *dogsim.Cluster) { msg = cl.CreateVDI(vdi, img.size) })
	if msg != "" {
		return exec.Result{Code: 1, Stdout: []byte(out), Stderr: []byte(fmt.Sprintf(
			"qemu-img: %s, %s\nqemu-img: %s: error while creating raw: Input/output error\n", msg, vdi, p))}
	}
	return sim.OK(out)
}

func vdiInfo(h *sim.Host, p string) exec.Result {
	vdi, tag, ok := vdiName(p)
	var v *dogsim.VDI
	dogsim.Use(h, func(cl *dogsim.Cluster) {
		if found := cl.VDI(vdi, tag); found != nil {
			copied := *found // read outside the fleet's lock
			v = &copied
		}
	})
	if !ok || v == nil {
		return failf("qemu-img: Could not open '%s': cannot get vdi info, No VDI found, %s 0 %s\n", p, vdi, tag)
	}
	info := qemu.ImageInfo{VirtualSize: v.Size, Filename: p, Format: "raw", ActualSize: v.Used}
	out, err := json.MarshalIndent(info, "", "    ")
	if err != nil {
		return failf("qemu-img: %v\n", err)
	}
	return sim.OK(string(out) + "\n")
}
