package collie

import (
	"fmt"
	"strconv"
	"strings"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/env"
	"github.com/vrun-dev/vrun/builtins/starutil"
)

// Module returns the module under name ("collie" or "dog"): the same
// builtins, preferring the client of that name when the host has both.
func Module(name string) *starutil.Module {
	return &starutil.Module{
		Name: name,
		Doc:  "sheepdog's client (collie ≤0.6, dog ≥0.7): nodes, cluster, VDIs",
		Funcs: []starutil.Func{
			{Name: "use", Params: "(binary = None, address = None, port = None)", Impl: use,
				Doc: `force the client ("dog" or "collie"; None probes the host) and the sheep to talk to`},
		},
		Subs: []*starutil.Module{
			{Name: "node", Doc: "sheep nodes", Funcs: []starutil.Func{
				{Name: "list", Params: "()", Doc: "the nodes: id, host, port, addr, vnodes, zone, master", Impl: nodeList},
				{Name: "info", Params: "()", Doc: "store usage per node and in total (bytes), and the virtual size of all VDIs", Impl: nodeInfo},
			}},
			{Name: "cluster", Doc: "the sheepdog cluster", Funcs: []starutil.Func{
				{Name: "info", Params: "()", Doc: "status, running, formatted, epoch, nodes and the epoch history", Impl: clusterInfo},
				{Name: "format", Params: "(copies = 3, confirm = False)", Doc: "format the cluster with N copies (or \"4:2\"); a formatted cluster needs confirm", Impl: clusterFormat},
				{Name: "shutdown", Params: "(confirm = False)", Doc: "stop every sheep of the cluster (needs confirm)", Impl: clusterShutdown},
			}},
			vdiModule(),
		},
	}
}

func use(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var binary, address starlark.Value = starlark.None, starlark.None
	port := 0
	if err := starutil.Unpack(b, args, kwargs, "binary?", &binary, "address?", &address, "port?", &port); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	c, err := runState(e)
	if err != nil {
		return nil, err
	}
	bin, ok := starlark.AsString(binary)
	if binary != starlark.None && (!ok || bin != "dog" && bin != "collie") {
		return nil, fmt.Errorf("binary: got %s, want \"dog\", \"collie\" or None", binary.String())
	}
	addr, ok := starlark.AsString(address)
	if address != starlark.None && !ok {
		return nil, fmt.Errorf("address: got %s, want string", address.Type())
	}
	if address != starlark.None {
		if err := starutil.Operand(addr, "a host name or address"); err != nil {
			return nil, fmt.Errorf("address: %w", err)
		}
	}
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("port %d out of range", port)
	}
	c.mu.Lock()
	c.forced, c.address, c.port = bin, addr, port
	c.mu.Unlock()
	return starlark.None, nil
}

func nodeList(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	out, err := run(th, b, req{}, "node", "list", "-r")
	if err != nil {
		return nil, err
	}
	nodes, err := ParseNodeList(out)
	if err != nil {
		return nil, err
	}
	return listValue(nodes, nodeValue), nil
}

func nodeInfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	out, err := run(th, b, req{}, "node", "info", "-r")
	if err != nil {
		return nil, err
	}
	info, err := ParseNodeInfo(out)
	if err != nil {
		return nil, err
	}
	return nodeInfoValue(info), nil
}

func getClusterInfo(th *starlark.Thread, b *starlark.Builtin) (ClusterInfo, error) {
	out, err := run(th, b, req{}, "cluster", "info", "-r")
	if err != nil {
		return ClusterInfo{}, err
	}
	c, err := ParseClusterInfo(out)
	if err != nil {
		return c, err
	}
	return c, nil
}

func clusterInfo(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starutil.Unpack(b, args, kwargs); err != nil {
		return nil, err
	}
	c, err := getClusterInfo(th, b)
	if err != nil {
		return nil, err
	}
	return clusterValue(c), nil
}

// clusterFormat refuses to re-format a formatted cluster (it drops every
// VDI) unless confirmed; then it answers the client's "Caution!" prompt.
func clusterFormat(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var copies starlark.Value = starlark.MakeInt(3)
	confirm := false
	if err := starutil.Unpack(b, args, kwargs, "copies?", &copies, "confirm?", &confirm); err != nil {
		return nil, err
	}
	n, err := copiesArg(copies)
	if err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if err := formatAllowed(th, b, e.Confirmed(confirm)); err != nil {
		return nil, err
	}
	stdin := ""
	if e.Confirmed(confirm) { // answers the client's prompts too
		stdin = "yes\n"
	}
	out, err := run(th, b, req{stdin: stdin, mutate: true}, "cluster", "format", "--copies="+n)
	if err != nil {
		return nil, err
	}
	if err := unanswered(b, stdin, out); err != nil {
		return nil, err
	}
	after, err := getClusterInfo(th, b)
	if err != nil {
		return nil, err
	}
	if !after.Formatted() {
		return nil, fmt.Errorf("the cluster still reads %q after format", after.Status)
	}
	return clusterValue(after), nil
}

// formatAllowed refuses to format a formatted cluster unless confirmed.
func formatAllowed(th *starlark.Thread, b *starlark.Builtin, confirmed bool) error {
	before, err := getClusterInfo(th, b)
	if err != nil {
		return err
	}
	if before.Formatted() && !confirmed {
		return fmt.Errorf("the cluster is already formatted and formatting again destroys every VDI; pass confirm = True (or run with --yes)")
	}
	return nil
}

// unanswered reports a prompt left unanswered: the client's confirm()
// then exits 0 having done nothing.
func unanswered(b *starlark.Builtin, stdin, out string) error {
	if stdin == "" && strings.Contains(out, "[yes/no]") {
		return fmt.Errorf("nothing was formatted: the client asked: %s (pass confirm = True to answer yes)", strings.Join(strings.Fields(out), " "))
	}
	return nil
}

// copiesArg accepts 3 or "3" or the erasure-coded "4:2".
func copiesArg(v starlark.Value) (string, error) {
	switch v := v.(type) {
	case starlark.Int:
		n, ok := v.Int64()
		if !ok || n < 1 || n > 31 {
			return "", fmt.Errorf("copies: got %s, want 1 to 31", v)
		}
		return strconv.FormatInt(n, 10), nil
	case starlark.String:
		s := string(v)
		ds, ps, ec := strings.Cut(s, ":")
		d, errD := strconv.Atoi(ds)
		p, errP := strconv.Atoi(ps)
		if errD == nil && (!ec && d >= 1 && d <= 31 || ec && errP == nil && d > 0 && p > 0) {
			return s, nil
		}
		return "", fmt.Errorf("copies: got %q, want N or \"data:parity\" such as \"4:2\"", s)
	}
	return "", fmt.Errorf("copies: got %s, want int or string", v.Type())
}

func clusterShutdown(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	confirm := false
	if err := starutil.Unpack(b, args, kwargs, "confirm?", &confirm); err != nil {
		return nil, err
	}
	e, err := env.From(th)
	if err != nil {
		return nil, err
	}
	if !e.Confirmed(confirm) {
		return nil, fmt.Errorf("stopping the cluster stops every VM's storage; pass confirm = True (or run with --yes)")
	}
	_, err = run(th, b, req{mutate: true}, "cluster", "shutdown")
	return starlark.None, err
}
