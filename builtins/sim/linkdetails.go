package sim

import "fmt"

// details is what ip -d adds after "broadcast": ip/ipaddress.c's
// print_linkinfo and the attributes around it.
func (n *Network) details(l *Link, addrs bool) []kv {
	promisc := 0
	if l.Master != "" {
		promisc = 1 // a bridge puts its ports in promiscuous and allmulti mode
	}
	lo, hi := n.MTURange(l)
	out := []kv{{"promiscuity", num(promisc)}, {"allmulti", num(promisc)}, {"min_mtu", num(lo)}, {"max_mtu", num(hi)}}
	if info := n.linkinfo(l); info != "" {
		out = append(out, kv{"linkinfo", info})
	}
	tso := n.tsoMax(l)
	if !addrs { // ip addr show -d leaves it out
		out = append(out, kv{"inet6_addr_gen_mode", str("eui64")})
	}
	return append(out, kv{"num_tx_queues", "1"}, kv{"num_rx_queues", "1"},
		kv{"gso_max_size", "65536"}, kv{"gso_max_segs", "65535"}, kv{"tso_max_size", num(tso)},
		kv{"tso_max_segs", "65535"}, kv{"gro_max_size", "65536"})
}

func (n *Network) linkinfo(l *Link) string {
	var out []kv
	switch l.Kind {
	case KindBridge:
		out = append(out, kv{"info_kind", str("bridge")}, kv{"info_data", bridgeData(l)})
	case KindVeth:
		out = append(out, kv{"info_kind", str("veth")})
	case KindVLAN:
		out = append(out, kv{"info_kind", str("vlan")}, kv{"info_data", obj(kv{"protocol", str(l.VLANProtocol)},
			kv{"id", num(l.VLANID)}, kv{"flags", strs([]string{"REORDER_HDR"})})})
	case KindTap:
		out = append(out, kv{"info_kind", str("tun")}, kv{"info_data", obj(kv{"type", str("tap")}, kv{"pi", "false"},
			kv{"vnet_hdr", "false"}, kv{"multi_queue", "false"}, kv{"persist", "true"})})
	case KindOVS:
		out = append(out, kv{"info_kind", str("openvswitch")})
	}
	if m, ok := n.Link(l.Master); ok {
		switch m.Kind {
		case KindBridge:
			out = append(out, kv{"info_slave_kind", str("bridge")}, kv{"info_slave_data", n.portData(l, m)})
		case KindOVS:
			out = append(out, kv{"info_slave_kind", str("openvswitch")})
		}
	}
	if len(out) == 0 {
		return ""
	}
	return obj(out...)
}

func bridgeData(l *Link) string {
	id := str("8000." + l.MAC)
	ints := func(pairs ...any) []kv {
		var out []kv
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, kv{pairs[i].(string), fmt.Sprint(pairs[i+1])})
		}
		return out
	}
	stp := 0
	if l.STP {
		stp = 1
	}
	out := ints("forward_delay", ForwardDelayOf(l), "hello_time", 200, "max_age", 2000, "ageing_time", 30000, "stp_state", stp, "priority", 32768, "vlan_filtering", 0)
	out = append(out, kv{"bridge_id", id}, kv{"root_id", id})
	out = append(out, ints("root_port", 0, "root_path_cost", 0, "topology_change", 0, "topology_change_detected", 0,
		"hello_timer", "0.00", "tcn_timer", "0.00", "topology_change_timer", "0.00", "gc_timer", "0.00")...)
	out = append(out, kv{"group_fwd_mask", str("0")}, kv{"group_addr", str("01:80:c2:00:00:00")})
	out = append(out, ints("mcast_snooping", 1, "no_linklocal_learn", 0, "mcast_vlan_snooping", 0, "mcast_router", 1,
		"mcast_query_use_ifaddr", 0, "mcast_querier", 0, "mcast_hash_elasticity", 16, "mcast_hash_max", 4096,
		"mcast_last_member_cnt", 2, "mcast_startup_query_cnt", 2, "mcast_last_member_intvl", 100,
		"mcast_membership_intvl", 26000, "mcast_querier_intvl", 25500, "mcast_query_intvl", 12500,
		"mcast_query_response_intvl", 1000, "mcast_startup_query_intvl", 3124, "mcast_stats_enabled", 0,
		"mcast_igmp_version", 2, "mcast_mld_version", 1, "nf_call_iptables", 0, "nf_call_ip6tables", 0, "nf_call_arptables", 0)...)
	return obj(out...)
}

// portData is a bridge port's info_slave_data: STP is off, so a port
// forwards once it and its bridge are up with carrier.
func (n *Network) portData(l, br *Link) string {
	state := "disabled"
	if br.Up && n.Carrier(l) {
		state = "forwarding"
	}
	no := l.PortNo
	cost := 100 // br_port_cost for an unknown or 10 Mb/s speed (tap)
	if l.Kind == KindVeth {
		cost = 2 // veth reports 10 Gb/s
	}
	id := str("8000." + br.MAC)
	f, t := "false", "true"
	return obj(kv{"state", str(state)}, kv{"priority", "32"}, kv{"cost", num(cost)}, kv{"hairpin", f}, kv{"guard", f},
		kv{"root_block", f}, kv{"fastleave", f}, kv{"learning", t}, kv{"flood", t}, kv{"id", str(fmt.Sprintf("0x%x", 0x8000+no))},
		kv{"no", str(fmt.Sprintf("0x%x", no))}, kv{"designated_port", num(0x8000 + no)}, kv{"designated_cost", "0"},
		kv{"bridge_id", id}, kv{"root_id", id}, kv{"hold_timer", "0.00"}, kv{"message_age_timer", "0.00"},
		kv{"forward_delay_timer", "0.00"}, kv{"topology_change_ack", "0"}, kv{"config_pending", "0"}, kv{"proxy_arp", f},
		kv{"proxy_arp_wifi", f}, kv{"multicast_router", "1"}, kv{"mcast_flood", t}, kv{"bcast_flood", t},
		kv{"mcast_to_unicast", f}, kv{"neigh_suppress", f}, kv{"group_fwd_mask", str("0")}, kv{"group_fwd_mask_str", str("0x0")},
		kv{"vlan_tunnel", f}, kv{"isolated", f}, kv{"locked", f})
}
