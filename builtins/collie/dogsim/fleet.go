package dogsim

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vrun-dev/vrun/builtins/sim"
)

// In a fleet (the simulated hosts of one run), a sheep started with
// systemctl belongs to the cluster its configuration names: corosync's ring
// (bindnetaddr's network, mcastaddr, mcastport) and sheep's port. Every
// host naming the same ring and port meets the same Cluster, kept by the
// fleet; its node is the host's address on the ring's network and the
// port. Until then a host keeps its own one-node cluster, as a host outside
// a fleet always does (the single-host rehearsal is unchanged).

// shared keeps the fleet's clusters, by identity.
var shared = sim.Shared[*Cluster]{Kind: "sheepdog", New: func() *Cluster { return &Cluster{Now: time.Now} }}

const (
	corosyncConf = "/etc/corosync/corosync.conf"
	sheepInit    = "/etc/init.d/sheepdog"
	defaultStore = 9985798963 // the seed's 9.3 GiB, when the store is not a mount of its own
)

var (
	totemRe = regexp.MustCompile(`(?m)^\s*(bindnetaddr|mcastaddr|mcastport)\s*:\s*(\S+)`)
	sheepRe = regexp.MustCompile(`(?m)^[^#\n]*?-p\s+(\d+)\s+(/\S*)`)
)

// membership is what a host's configuration says of its sheep.
type membership struct {
	id   string // the cluster's identity
	node Node
	err  string // why corosync cannot bind
}

// memberOf reads h's corosync.conf and sheep's init script. The host must
// be locked.
func memberOf(h *sim.Host) membership {
	conf, _ := h.ReadFile(corosyncConf)
	port, store := 7000, "/var/lib/sheepdog"
	if init, ok := h.ReadFile(sheepInit); ok {
		if m := sheepRe.FindStringSubmatch(string(init)); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil || n < 1 || n > 65535 {
				return membership{err: fmt.Sprintf("sheep: invalid port %s in %s", m[1], sheepInit)}
			}
			port, store = n, m[2]
		}
	}
	refused := membership{err: "corosync: no interface of this host is on bindnetaddr's network"}
	totem := map[string]string{}
	for _, m := range totemRe.FindAllStringSubmatch(string(conf), -1) {
		if _, seen := totem[m[1]]; !seen {
			totem[m[1]] = m[2]
		}
	}
	bind, err := netip.ParseAddr(totem["bindnetaddr"])
	if err != nil || !bind.Is4() {
		return refused // corosync does not start: sheep has no cluster driver
	}
	// corosync binds to the interface whose network holds bindnetaddr.
	var ip netip.Addr
	var ring netip.Prefix
	for _, l := range sim.NetworkOf(h).Links {
		for _, a := range l.Addrs {
			if !l.Up || a.Prefix.Addr().IsLoopback() || !a.Prefix.Addr().Is4() || ip.IsValid() {
				continue
			}
			if netip.PrefixFrom(bind, a.Prefix.Bits()).Masked() == a.Prefix.Masked() {
				ip, ring = a.Prefix.Addr(), a.Prefix.Masked()
			}
		}
	}
	if !ip.IsValid() {
		return refused
	}
	b := ip.As4()
	return membership{
		id: fmt.Sprintf("%s %s:%s port %d", ring, totem["mcastaddr"], totem["mcastport"], port),
		// Without -z, sheep takes the IPv4 address's bytes as its zone
		// (read in host order on x86).
		node: Node{Host: ip.String(), Port: port, VNodes: 128, Zone: binary.LittleEndian.Uint32(b[:]), StoreSize: storeSize(h, store)},
	}
}

// storeSize is the size of the filesystem holding dir.
func storeSize(h *sim.Host, dir string) int64 {
	best, size := "", int64(defaultStore)
	for _, m := range sim.StorageOf(h).Mounts {
		t := m.Target
		if (dir == t || strings.HasPrefix(dir, strings.TrimSuffix(t, "/")+"/")) && len(t) > len(best) && m.Dev != nil {
			best, size = t, m.Dev.Size
		}
	}
	return size
}

// Use runs fn on the cluster h's sheep is part of: in a fleet, the shared
// one it joined when it was started, else the host's own. The host must be
// locked.
func Use(h *sim.Host, fn func(cl *Cluster)) {
	own := ClusterOf(h)
	if f := h.Fleet(); f != nil && own.Joined != "" {
		shared.With(f, own.Joined, fn)
		return
	}
	fn(own)
}

// corosyncHook is corosync's start: it fails when it cannot bind.
func corosyncHook(h *sim.Host, verb string) string {
	if verb == "stop" {
		return ""
	}
	if _, ok := h.ReadFile(corosyncConf); !ok {
		return "no " + corosyncConf
	}
	return memberOf(h).err
}

// sheepHook is sheep's start and stop. In a fleet, a started sheep leaves
// the cluster it was in and joins the one its configuration names, so the
// nodes of one ring meet in one cluster; a stopped one leaves. Outside a
// fleet the host keeps its own cluster.
func sheepHook(h *sim.Host, verb string) string {
	own, f := ClusterOf(h), h.Fleet()
	var m membership
	if verb != "stop" {
		if _, ok := h.ReadFile(corosyncConf); !ok {
			return "no " + corosyncConf + ": sheep has no cluster driver"
		}
		if m = memberOf(h); m.err != "" {
			return m.err
		}
	}
	if f == nil {
		return ""
	}
	if own.Joined != "" {
		shared.With(f, own.Joined, func(cl *Cluster) { cl.leave(*own.Member) })
		own.Joined, own.Member = "", nil
	}
	if verb == "stop" {
		return ""
	}
	shared.With(f, m.id, func(cl *Cluster) { cl.join(m.node) })
	node := m.node
	own.Joined, own.Member = m.id, &node
	return ""
}

// join adds n when it is not a member; a formatted cluster records the
// membership change as a new epoch, as sheep does.
func (cl *Cluster) join(n Node) {
	for _, have := range cl.Nodes {
		if have.Host == n.Host && have.Port == n.Port {
			return
		}
	}
	cl.Nodes = append(cl.Nodes, n)
	// sheep keeps its members sorted by address, then port (node_cmp).
	sort.SliceStable(cl.Nodes, func(i, j int) bool {
		a, _ := netip.ParseAddr(cl.Nodes[i].Host)
		b, _ := netip.ParseAddr(cl.Nodes[j].Host)
		if c := a.Compare(b); c != 0 {
			return c < 0
		}
		return cl.Nodes[i].Port < cl.Nodes[j].Port
	})
	cl.newEpoch()
}

func (cl *Cluster) leave(n Node) {
	for i, have := range cl.Nodes {
		if have.Host == n.Host && have.Port == n.Port {
			cl.Nodes = append(cl.Nodes[:i:i], cl.Nodes[i+1:]...)
			cl.newEpoch()
			return
		}
	}
}

func (cl *Cluster) newEpoch() {
	if cl.Formatted {
		cl.Epochs = append([]Epoch{{Time: cl.Now().Unix(), Nodes: append([]Node(nil), cl.Nodes...)}}, cl.Epochs...)
	}
}
