package qemu

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/exec"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

const systemParams = "(drives = [], cdrom = None, boot = None, memory = \"1G\", smp = 1, kvm = \"auto\", nographic = True, extra = [], detach = False, binary = \"qemu-system-x86_64\")"

// Module returns the qemu module.
func Module() *starutil.Module {
	return &starutil.Module{
		Name: "qemu",
		Doc:  "qemu-img and qemu-system",
		Funcs: []starutil.Func{
			{Name: "sheepdog_uri", Params: "(vdi, host = None, port = None, tag = None, uri = False)",
				Doc: "a sheepdog VDI name for qemu: sheepdog:[host:port:]vdi[:tag], or with uri = True sheepdog://host:port/vdi#tag", Impl: sheepdogURI},
			{Name: "system", Params: systemParams,
				Doc: "run qemu-system (KVM when /dev/kvm exists, with a warning when it falls back to slow TCG); detach = True daemonizes", Impl: system},
			{Name: "system_argv", Params: systemParams,
				Doc: "the argv qemu.system would run, without running it", Impl: systemArgv},
		},
		Subs: []*starutil.Module{imgModule()},
	}
}

func sheepdogURI(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var vdi, tag string
	port := 0
	uri := false
	var portV, hostV starlark.Value = starlark.None, starlark.None
	if err := starutil.Unpack(b, args, kwargs, "vdi", &vdi, "host?", &hostV, "port?", &portV, "tag?", &tag, "uri?", &uri); err != nil {
		return nil, err
	}
	host, err := hostArg(hostV)
	if err != nil {
		return nil, err
	}
	if portV != starlark.None {
		if err := starlark.AsInt(portV, &port); err != nil {
			return nil, fmt.Errorf("port: got %s, want int", portV.Type())
		}
		if port == 0 {
			return nil, fmt.Errorf("port 0 out of range")
		}
	}
	u, err := SheepdogURI(vdi, host, port, tag, !uri)
	if err != nil {
		return nil, err
	}
	return starlark.String(u), nil
}

// hostArg reads sheepdog_uri's host: None for the default, else a name or
// address (an empty one would silently mean the default).
func hostArg(v starlark.Value) (string, error) {
	if v == starlark.None {
		return "", nil
	}
	s, ok := starlark.AsString(v)
	if !ok {
		return "", fmt.Errorf("host: got %s, want string or None", v.Type())
	}
	if s == "" {
		return "", fmt.Errorf("host: got \"\", want a host name or address (None for localhost)")
	}
	return s, nil
}

// build unpacks qemu.system's arguments and decides on KVM.
func build(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (System, error) {
	s := System{Binary: "qemu-system-x86_64", SMP: 1, NoGraphic: true}
	var drives *starlark.List
	var cdrom, boot starlark.Value = starlark.None, starlark.None
	var memory starutil.Size = 1 << 30
	var kvm starlark.Value = starlark.String("auto")
	var extra starutil.Strings
	if err := starutil.Unpack(b, args, kwargs, "drives?", &drives, "cdrom?", &cdrom, "boot?", &boot,
		"memory?", &memory, "smp?", &s.SMP, "kvm?", &kvm, "nographic?", &s.NoGraphic, "extra?", &extra,
		"detach?", &s.Daemonize, "binary?", &s.Binary); err != nil {
		return s, err
	}
	var err error
	if s.Drives, err = unpackDrives(drives); err != nil {
		return s, err
	}
	if s.CDROM, err = optString(cdrom, "cdrom"); err != nil {
		return s, err
	}
	if s.Boot, err = optString(boot, "boot"); err != nil {
		return s, err
	}
	s.MemoryMiB, s.Extra = MiB(int64(memory)), extra
	if err := s.Validate(); err != nil {
		return s, err
	}
	if s.KVM, err = useKVM(th, b, kvm); err != nil {
		return s, err
	}
	return s, nil
}

// useKVM decides -enable-kvm from kvm = "auto" | True | False and whether
// the target has /dev/kvm. Without it a guest still boots, only many times
// slower: the seed's "forgot -enable-kvm" trap, so say it plainly.
func useKVM(th *starlark.Thread, b *starlark.Builtin, mode starlark.Value) (bool, error) {
	if on, ok := mode.(starlark.Bool); ok && !bool(on) {
		return false, nil
	}
	if s, ok := starlark.AsString(mode); mode != starlark.True && (!ok || s != "auto") {
		return false, fmt.Errorf("kvm: got %s, want \"auto\", True or False", mode.String())
	}
	e, err := env.From(th)
	if err != nil {
		return false, err
	}
	res, err := e.Run(exec.Cmd{Argv: []string{"test", "-e", "/dev/kvm"}})
	if err != nil {
		return false, fmt.Errorf("cannot check /dev/kvm: %w", err)
	}
	if res.Code == 0 {
		return true, nil
	}
	if mode == starlark.True {
		return false, fmt.Errorf("kvm = True but the target has no /dev/kvm (no KVM module or no VT-x/AMD-V); use kvm = \"auto\" to fall back to slow emulation")
	}
	{ // the trap the seed fell into: say it plainly (only -q silences it)
		e.Warnf("%s: warning: the target has no /dev/kvm, so the guest runs without -enable-kvm under TCG software emulation, many times slower (pass kvm = False to accept this silently)", b.Name())
	}
	return false, nil
}

func systemArgv(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, err := build(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return stringList(s.Argv()), nil
}

func system(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	s, err := build(th, b, args, kwargs)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	argv := s.Argv()
	res, err := e.Run(exec.Cmd{Argv: argv, Mutate: true})
	if err != nil {
		return nil, err
	}
	if err := exec.Check(res); err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	return starutil.Struct("qemu.vm", starlark.StringDict{
		"argv": stringList(argv), "kvm": starlark.Bool(s.KVM), "detached": starlark.Bool(s.Daemonize),
		"rc": starlark.MakeInt(res.Code), "stdout": starlark.String(res.Stdout), "stderr": starlark.String(res.Stderr),
	}), nil
}

func stringList(xs []string) *starlark.List {
	out := make([]starlark.Value, len(xs))
	for i, x := range xs {
		out[i] = starlark.String(x)
	}
	l := starlark.NewList(out)
	l.Freeze()
	return l
}
