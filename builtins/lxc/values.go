package lxc

import (
	"errors"
	"fmt"
	"strconv"

	starlarktime "go.starlark.net/lib/time"
	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// exists reports whether the container is defined (lxc-info answers).
func (c *ct) exists() (bool, error) {
	_, err := c.info()
	if errors.Is(err, errMissing) {
		return false, nil
	}
	return err == nil, err
}

func strList(xs []string) *starlark.List {
	out := make([]starlark.Value, len(xs))
	for i, x := range xs {
		out[i] = starlark.String(x)
	}
	return starlark.NewList(out)
}

// optInt is n, or None when LXC did not print it (-1) or it is zero for
// a process id.
func optInt(n int64) starlark.Value {
	if n < 0 {
		return starlark.None
	}
	return starlark.MakeInt64(n)
}

func infoValue(in Info) starlark.Value {
	pid := starlark.Value(starlark.None)
	if in.PID > 0 {
		pid = starlark.MakeInt(in.PID)
	}
	links := make([]starlark.Value, len(in.Links))
	for i, l := range in.Links {
		links[i] = starutil.Struct("lxc.link", starlark.StringDict{
			"name": starlark.String(l.Name), "tx": starlark.MakeInt64(l.TX), "rx": starlark.MakeInt64(l.RX),
			"total": starlark.MakeInt64(l.Total)})
	}
	return starutil.Struct("lxc.info", starlark.StringDict{
		"name": starlark.String(in.Name), "state": starlark.String(in.State),
		"running": starlark.Bool(in.State == "RUNNING"), "pid": pid, "ips": strList(in.IPs),
		"memory": optInt(in.Memory), "kmem": optInt(in.KMem), "cpu_ns": optInt(in.CPU), "blkio": optInt(in.BlkIO),
		"links": starlark.NewList(links),
	})
}

func entryValue(e Entry) (starlark.Value, error) {
	pid := starlark.Value(starlark.None)
	if e["PID"] != "" {
		n, err := strconv.Atoi(e["PID"])
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("lxc-ls: container %s: PID %q", e["NAME"], e["PID"])
		}
		pid = starlark.MakeInt(n)
	}
	ram := starlark.Value(starlark.None)
	if e["RAM"] != "" {
		n, err := parseMB(e["RAM"])
		if err != nil {
			return nil, err
		}
		ram = starlark.MakeInt64(n)
	}
	return starutil.Struct("lxc.container", starlark.StringDict{
		"name": starlark.String(e["NAME"]), "state": starlark.String(e["STATE"]), "pid": pid, "ram": ram,
		"autostart": starlark.Bool(e["AUTOSTART"] == "1" || e["AUTOSTART"] == "YES"),
		"groups":    strList(e.List("GROUPS")), "ipv4": strList(e.List("IPV4")), "ipv6": strList(e.List("IPV6")),
		"interfaces": strList(e.List("INTERFACE")), "unprivileged": starlark.Bool(e["UNPRIVILEGED"] == "true"),
	}), nil
}

// resultValue is the result run() returns, for attach.
func resultValue(r exec.Result) starlark.Value {
	argv := strList(r.Argv)
	argv.Freeze()
	return starutil.Struct("result", starlark.StringDict{
		"rc": starlark.MakeInt(r.Code), "stdout": starlark.String(r.Stdout), "stderr": starlark.String(r.Stderr),
		"argv": argv, "duration": starlarktime.Duration(r.Duration),
		"ok": starlark.Bool(r.Code == 0 && !r.TimedOut), "timed_out": starlark.Bool(r.TimedOut),
	})
}
