package collie

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/vrun-dev/vrun/builtins/starutil"
)

func i64(n int64) starlark.Value { return starlark.MakeInt64(n) }

// orNone is None for the -1 of a column the client did not print.
func orNone(n int64) starlark.Value {
	if n < 0 {
		return starlark.None
	}
	return i64(n)
}

func nodeValue(n Node) starlark.Value {
	return starutil.Struct("collie.node", starlark.StringDict{
		"id": starlark.MakeInt(n.ID), "host": starlark.String(n.Host), "port": starlark.MakeInt(n.Port),
		"addr":   starlark.String(fmt.Sprintf("%s:%d", n.Host, n.Port)),
		"vnodes": starlark.MakeInt(n.VNodes), "zone": orNone(n.Zone), "master": starlark.Bool(n.Master),
	})
}

func usageValue(name string, u NodeUsage, extra starlark.StringDict) starlark.Value {
	d := starlark.StringDict{
		"size": i64(u.Size), "used": i64(u.Used), "avail": i64(u.Avail), "use": starlark.MakeInt(u.Use),
	}
	if u.ID >= 0 {
		d["id"] = starlark.MakeInt(u.ID)
	}
	for k, v := range extra {
		d[k] = v
	}
	return starutil.Struct(name, d)
}

func nodeInfoValue(info NodeInfo) starlark.Value {
	nodes := make([]starlark.Value, len(info.Nodes))
	for i, u := range info.Nodes {
		nodes[i] = usageValue("collie.node_usage", u, nil)
	}
	return usageValue("collie.node_info", info.Total, starlark.StringDict{
		"nodes": starlark.NewList(nodes), "vdi_size": i64(info.VDISize),
	})
}

func clusterValue(c ClusterInfo) starlark.Value {
	epochs := make([]starlark.Value, len(c.Epochs))
	nodes := starlark.NewList(nil)
	epoch := 0
	for i, e := range c.Epochs {
		ns := make([]starlark.Value, len(e.Nodes))
		for j, n := range e.Nodes {
			ns[j] = nodeValue(n)
		}
		epochs[i] = starutil.Struct("collie.epoch", starlark.StringDict{
			"time": i64(e.Time), "epoch": starlark.MakeInt(e.Epoch), "nodes": starlark.NewList(ns),
		})
		if i == 0 { // newest first
			epoch, nodes = e.Epoch, starlark.NewList(ns)
		}
	}
	return starutil.Struct("collie.cluster_info", starlark.StringDict{
		"status": starlark.String(c.Status), "running": starlark.Bool(c.Running()),
		"formatted": starlark.Bool(c.Formatted()), "epoch": starlark.MakeInt(epoch),
		"nodes": nodes, "epochs": starlark.NewList(epochs),
	})
}

func vdiValue(v VDI) starlark.Value {
	return starutil.Struct("collie.vdi", starlark.StringDict{
		"name": starlark.String(v.Name), "snapshot": starlark.Bool(v.Snapshot), "clone": starlark.Bool(v.Clone),
		"id": starlark.MakeInt(v.SnapID), "size": i64(v.Size), "used": i64(v.Used), "shared": i64(v.Shared),
		"created": i64(v.Created), "vid": starlark.String(v.VID), "copies": starlark.String(v.Copies),
		"tag": starlark.String(v.Tag), "block_size_shift": orNone(int64(v.BlockSizeShift)),
	})
}

func treeNodeValue(n *TreeNode) starlark.Value {
	children := make([]starlark.Value, len(n.Children))
	for i, c := range n.Children {
		children[i] = treeNodeValue(c)
	}
	return starutil.Struct("collie.tree_node", starlark.StringDict{
		"label": starlark.String(n.Label), "current": starlark.Bool(n.Current), "children": starlark.NewList(children),
	})
}

func treeValue(t Tree) starlark.Value {
	nodes := make([]starlark.Value, len(t.Nodes))
	for i, n := range t.Nodes {
		nodes[i] = treeNodeValue(n)
	}
	return starutil.Struct("collie.tree", starlark.StringDict{"name": starlark.String(t.Name), "nodes": starlark.NewList(nodes)})
}

func listValue[T any](xs []T, f func(T) starlark.Value) starlark.Value {
	out := make([]starlark.Value, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	l := starlark.NewList(out)
	l.Freeze()
	return l
}
