package virshsim

import (
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/vrun-dev/vrun/builtins/sim"
	"github.com/vrun-dev/vrun/builtins/virsh"
)

// poolCapacity is what the fake reports for every pool: the test
// driver's 100 GiB.
const poolCapacity = 100 << 30

var storageCmds = map[string]command{
	"pool-define-as": poolDefineAs, "pool-build": poolBuild, "pool-start": poolStart, "pool-autostart": poolAutostart,
	"pool-list": poolList, "pool-info": poolInfo, "pool-destroy": poolDestroy, "pool-undefine": poolUndefine,
	"vol-create-as": volCreateAs, "vol-list": volList, "vol-info": volInfo, "vol-path": volPath, "vol-delete": volDelete,
}

func (s *State) pool(name string) *Pool {
	for _, p := range s.Pools {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func withPool(s *State, args []string, f func(p *Pool, opts map[string]string) reply) reply {
	name, opts, given := operand(args, "pool")
	if !given {
		return fail("command requires <pool> option")
	}
	p := s.pool(name)
	if p == nil {
		return fail(fmt.Sprintf("failed to get pool '%s'", name), fmt.Sprintf("Storage pool not found: no storage pool with matching name '%s'", name))
	}
	return f(p, opts)
}

func withVolume(s *State, args []string, f func(p *Pool, v *Volume, opts map[string]string) reply) reply {
	return withPool(s, args, func(p *Pool, opts map[string]string) reply {
		_, ops := sim.Getopt(args, "--pool", "--vol")
		name, given := opts["--vol"]
		if !given && len(ops) > 0 {
			name, given = ops[0], true
		}
		if !given {
			return fail("command requires <vol> option")
		}
		for _, v := range p.Volumes {
			if v.Name == name {
				return f(p, v, opts)
			}
		}
		return fail(fmt.Sprintf("failed to get vol '%s'", name), fmt.Sprintf("Storage volume not found: no storage vol with matching path '%s'", name))
	})
}

func poolDefineAs(_ *sim.Host, s *State, args []string, _ []byte) reply {
	opts, ops := sim.Getopt(args, "--name", "--type", "--target")
	name, typ := opts["--name"], opts["--type"]
	if name == "" && len(ops) > 0 {
		name = ops[0]
	}
	if name == "" || typ == "" {
		return fail("command requires <name> and <type> options")
	}
	if typ != "dir" {
		return fail("Failed to define pool "+name, fmt.Sprintf("the simulated host has only dir pools, not %q", typ))
	}
	if s.pool(name) != nil {
		return fail("Failed to define pool "+name, fmt.Sprintf("operation failed: pool '%s' already exists", name))
	}
	s.Pools = append(s.Pools, &Pool{Name: name, UUID: s.uuid("pool-" + name), Type: typ, Target: path.Clean(opts["--target"])})
	return ok("Pool %s defined\n", name)
}

func poolBuild(h *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		h.MakeDir(p.Target)
		return ok("Pool %s built\n", p.Name)
	})
}

func poolStart(h *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		failed := "Failed to start pool " + p.Name
		if p.Active {
			return fail(failed, fmt.Sprintf("Requested operation is not valid: storage pool '%s' is active", p.Name))
		}
		if !h.IsDir(p.Target) {
			return fail(failed, fmt.Sprintf("cannot open directory '%s': No such file or directory", p.Target))
		}
		p.Active = true
		return ok("Pool %s started\n", p.Name)
	})
}

func poolAutostart(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, opts map[string]string) reply {
		_, off := opts["--disable"]
		p.Autostart = !off
		if off {
			return ok("Pool %s unmarked as autostarted\n", p.Name)
		}
		return ok("Pool %s marked as autostarted\n", p.Name)
	})
}

func poolList(_ *sim.Host, s *State, args []string, _ []byte) reply {
	opts, _ := sim.Getopt(args, "--type")
	_, all := opts["--all"]
	var names []string
	for _, p := range s.Pools {
		if all || p.Active {
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%-20s\n", n) // virsh pads pool names (testdata/pool-list-name.txt)
	}
	return ok("%s", b.String())
}

func (p *Pool) allocation() int64 {
	var n int64
	for _, v := range p.Volumes {
		n += v.Capacity
	}
	return n
}

func poolInfo(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		state := "inactive"
		if p.Active {
			state = "running"
		}
		kvs := []string{"Name", p.Name, "UUID", p.UUID, "State", state, "Persistent", "yes", "Autostart", yesNo(p.Autostart)}
		if p.Active {
			a := p.allocation()
			kvs = append(kvs, "Capacity", fmt.Sprint(poolCapacity), "Allocation", fmt.Sprint(a), "Available", fmt.Sprint(poolCapacity-a))
		}
		return reply{out: info(kvs...)}
	})
}

func poolDestroy(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		if !p.Active {
			return fail("Failed to destroy pool "+p.Name, fmt.Sprintf("Requested operation is not valid: storage pool '%s' is not active", p.Name))
		}
		p.Active = false
		return ok("Pool %s destroyed\n", p.Name)
	})
}

func poolUndefine(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		if p.Active {
			return fail("Failed to undefine pool "+p.Name, fmt.Sprintf("Requested operation is not valid: storage pool '%s' is still active", p.Name))
		}
		kept := s.Pools[:0]
		for _, o := range s.Pools {
			if o != p {
				kept = append(kept, o)
			}
		}
		s.Pools = kept
		return ok("Pool %s has been undefined\n", p.Name)
	})
}

func volCreateAs(h *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, opts map[string]string) reply {
		_, ops := sim.Getopt(args, "--pool", "--name", "--capacity", "--format")
		name, capText := opts["--name"], opts["--capacity"]
		if name == "" && len(ops) > 1 {
			name = ops[1]
		}
		if capText == "" && len(ops) > 2 {
			capText = ops[2]
		}
		failed := "Failed to create vol " + name
		if !p.Active {
			return fail(failed, fmt.Sprintf("Requested operation is not valid: storage pool '%s' is not active", p.Name))
		}
		size, err := capacity(capText)
		if err != nil {
			return fail(fmt.Sprintf("Malformed size %s", capText))
		}
		for _, v := range p.Volumes {
			if v.Name == name {
				return fail(failed, "operation failed: storage vol already exists")
			}
		}
		p.Volumes = append(p.Volumes, &Volume{Name: name, Capacity: size, Format: opts["--format"]})
		h.WriteFile(path.Join(p.Target, name), nil, 0o600)
		return ok("Vol %s created\n", name)
	})
}

// capacity reads vol-create-as's size: a number with an optional scaled
// unit ("1048576b", "10G" binary, "10GB" decimal).
func capacity(text string) (int64, error) {
	i := 0
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(text[:i], 10, 64)
	if err != nil {
		return 0, err
	}
	unit := text[i:]
	if unit == "" {
		return n, nil
	}
	scale, err := virsh.UnitScale(unit)
	if err != nil || n > math.MaxInt64/int64(scale) {
		return 0, fmt.Errorf("malformed size")
	}
	return n * int64(scale), nil
}

func volList(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withPool(s, args, func(p *Pool, _ map[string]string) reply {
		vols := append([]*Volume(nil), p.Volumes...)
		sort.Slice(vols, func(i, j int) bool { return vols[i].Name < vols[j].Name })
		nw, pw := len("Name"), len("Path")
		for _, v := range vols {
			nw, pw = max(nw, len([]rune(v.Name))), max(pw, len([]rune(path.Join(p.Target, v.Name))))
		}
		var b strings.Builder
		pad := func(s string, w int) string { return s + strings.Repeat(" ", w-len([]rune(s))) }
		b.WriteString(" " + pad("Name", nw) + "   Path\n")
		b.WriteString(strings.Repeat("-", nw+pw+6) + "\n")
		for _, v := range vols {
			b.WriteString(" " + pad(v.Name, nw) + "   " + path.Join(p.Target, v.Name) + "\n")
		}
		return ok("%s", b.String())
	})
}

func volInfo(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withVolume(s, args, func(_ *Pool, v *Volume, _ map[string]string) reply {
		return reply{out: info("Name", v.Name, "Type", "file", "Capacity", fmt.Sprintf("%d bytes", v.Capacity), "Allocation", fmt.Sprintf("%d bytes", v.Capacity))}
	})
}

func volPath(_ *sim.Host, s *State, args []string, _ []byte) reply {
	return withVolume(s, args, func(p *Pool, v *Volume, _ map[string]string) reply {
		return ok("%s\n", path.Join(p.Target, v.Name))
	})
}

func volDelete(h *sim.Host, s *State, args []string, _ []byte) reply {
	return withVolume(s, args, func(p *Pool, v *Volume, _ map[string]string) reply {
		kept := p.Volumes[:0]
		for _, o := range p.Volumes {
			if o != v {
				kept = append(kept, o)
			}
		}
		p.Volumes = kept
		h.RemoveFile(path.Join(p.Target, v.Name))
		return ok("Vol %s deleted\n", v.Name)
	})
}
