// SPDX-License-Identifier: GPL-2.0
/* Copyright(c) 2026 The bifurc authors. */

/*
 * Flow rules owned by a bifurc file.  They are ordinary ntuple (Flow
 * Director perfect match, 82599 7.1.2.7) rules: they live in the adapter's
 * fdir_filter_list next to the administrator's "ethtool -N" rules, obey
 * the same one-mask-per-port rule, show up in "ethtool -n", and are
 * restored after a reset like any other.  The only difference is the
 * bifurc_owner tag, which lets the owning file delete them and makes them
 * go away with the file or with its attachment.
 *
 * A rule added without CAP_NET_ADMIN also holds its port on the netdev,
 * through a socket bound there that nobody reads: the stack refuses the
 * rule (EADDRINUSE) when a socket has the port already, and refuses later
 * bind()s of it, so that a grantee never takes the traffic of a service
 * and no service starts on a port whose frames go elsewhere.
 *
 * Locking: RTNL (the attachment cannot go away), then
 * adapter->fdir_perfect_lock around every look at the list.
 */

#include <linux/cred.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/sock.h>

#include "ixgbe.h"
#include "ixgbe_bifurc.h"

/**
 * ixgbe_bifurc_check_flow - validate a FLOW_ADD request
 * @r: the request
 *
 * The rules of uapi section 6 ("mask: a 1 bit means compare this bit"),
 * independent of the adapter.
 *
 * Context: any.
 * Return: 0, -EINVAL (malformed) or -EOPNOTSUPP (IPv6 or SCTP: the 82599
 * perfect filters of this driver match IPv4 TCP and UDP only).
 */
int ixgbe_bifurc_check_flow(const struct bifurc_flow_rule *r)
{
	const struct bifurc_flow_match *v = &r->value, *m = &r->mask;
	const u8 *vb = (const u8 *)v, *mb = (const u8 *)m;
	size_t hdr = offsetof(struct bifurc_flow_match, src_port);
	size_t i;

	if (r->flags || memchr_inv(r->reserved, 0, sizeof(r->reserved)) ||
	    v->reserved || m->proto || m->family || m->reserved)
		return -EINVAL;
	if (v->family == BIFURC_FLOW_IPV6)
		return -EOPNOTSUPP;
	if (v->family != BIFURC_FLOW_IPV4)
		return -EINVAL;
	if (memchr_inv(&v->src_addr[1], 0, 3 * sizeof(__be32)) ||
	    memchr_inv(&v->dst_addr[1], 0, 3 * sizeof(__be32)) ||
	    memchr_inv(&m->src_addr[1], 0, 3 * sizeof(__be32)) ||
	    memchr_inv(&m->dst_addr[1], 0, 3 * sizeof(__be32)))
		return -EINVAL;
	if (v->proto == IPPROTO_SCTP)
		return -EOPNOTSUPP;
	if (v->proto != IPPROTO_UDP && v->proto != IPPROTO_TCP)
		return -EINVAL;
	for (i = hdr; i < sizeof(*v); i++)
		if (vb[i] & ~mb[i])
			return -EINVAL;
	if (!memchr_inv(mb + hdr, 0, sizeof(*m) - hdr))
		return -EINVAL;
	return 0;
}

/* The filter and the port mask as "ethtool -N udp4/tcp4 ..." builds them. */
static void ixgbe_bifurc_flow_input(const struct bifurc_flow_rule *r,
				    union ixgbe_atr_input *input,
				    union ixgbe_atr_input *mask)
{
	memset(input, 0, sizeof(*input));
	memset(mask, 0, sizeof(*mask));
	input->formatted.flow_type = r->value.proto == IPPROTO_TCP ?
				     IXGBE_ATR_FLOW_TYPE_TCPV4 :
				     IXGBE_ATR_FLOW_TYPE_UDPV4;
	mask->formatted.flow_type = IXGBE_ATR_L4TYPE_IPV6_MASK |
				    IXGBE_ATR_L4TYPE_MASK;
	input->formatted.src_ip[0] = r->value.src_addr[0];
	mask->formatted.src_ip[0] = r->mask.src_addr[0];
	input->formatted.dst_ip[0] = r->value.dst_addr[0];
	mask->formatted.dst_ip[0] = r->mask.dst_addr[0];
	input->formatted.src_port = r->value.src_port;
	mask->formatted.src_port = r->mask.src_port;
	input->formatted.dst_port = r->value.dst_port;
	mask->formatted.dst_port = r->mask.dst_port;
}

/* Highest free ntuple location: admin tools allocate from the bottom. */
static int ixgbe_bifurc_free_loc(struct ixgbe_adapter *adapter, u32 max_loc)
{
	struct ixgbe_fdir_filter *rule;
	u32 loc = max_loc;

	lockdep_assert_held(&adapter->fdir_perfect_lock);
	while (loc--) {
		bool used = false;

		hlist_for_each_entry(rule, &adapter->fdir_filter_list,
				     fdir_node) {
			if (rule->sw_idx == loc) {
				used = true;
				break;
			}
		}
		if (!used)
			return loc;
	}
	return -ENOSPC;
}

/*
 * Binds a socket of the rule's protocol to its destination port on the
 * netdev (and to its destination address, if the rule names one; it need
 * not be local, hence IP_FREEBIND).  The socket is the caller's, as any it
 * would open: it keeps the namespace alive and "ss" shows its uid.  Ports
 * the caller could not bind itself were chosen by the administrator in the
 * queue's grant (ixgbe_bifurc_may_steer()), so that bind runs with the
 * kernel's credentials.
 */
static int ixgbe_bifurc_hold_port(struct ixgbe_bifurc_att *att,
				  const struct bifurc_flow_rule *r,
				  struct socket **sockp)
{
	struct net_device *netdev = att->bdev->adapter->netdev;
	bool udp = r->value.proto == IPPROTO_UDP;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = r->value.dst_port,
	};
	const struct cred *old = NULL;
	struct cred *kcred = NULL;
	struct socket *sock;
	int err;

	err = __sock_create(dev_net(netdev), AF_INET,
			    udp ? SOCK_DGRAM : SOCK_STREAM, r->value.proto,
			    &sock, 0);
	if (err)
		return err;
	/* nothing is read: what the stack delivers here is dropped at once */
	WRITE_ONCE(sock->sk->sk_rcvbuf, SOCK_MIN_RCVBUF);
	err = sock_bindtoindex(sock->sk, netdev->ifindex, true);
	if (err)
		goto out;
	if (r->mask.dst_addr[0] == htonl(0xffffffff)) {
		ip_sock_set_freebind(sock->sk);
		sin.sin_addr.s_addr = r->value.dst_addr[0];
	}
	if (inet_port_requires_bind_service(dev_net(netdev),
					    ntohs(sin.sin_port)) &&
	    !ns_capable(dev_net(netdev)->user_ns, CAP_NET_BIND_SERVICE)) {
		kcred = prepare_kernel_cred(&init_task);
		if (!kcred) {
			err = -ENOMEM;
			goto out;
		}
		old = override_creds(kcred);
	}
	err = kernel_bind(sock, (struct sockaddr *)&sin, sizeof(sin));
	if (kcred) {
		revert_creds(old);
		put_cred(kcred);
	}
out:
	if (err) {
		sock_release(sock);
		return err;
	}
	*sockp = sock;
	return 0;
}

/* Lets go of the port held for @rule_id, if any. */
static void ixgbe_bifurc_release_port(struct ixgbe_bifurc_att *att,
				      u32 rule_id)
{
	struct socket *sock = NULL;
	u32 i;

	/* the TX source check reads @held under the data path's lock */
	spin_lock_bh(&att->lock);
	for (i = 0; i < att->nr_held; i++) {
		if (att->held[i].rule_id != rule_id)
			continue;
		sock = att->held[i].sock;
		att->held[i] = att->held[--att->nr_held];
		break;
	}
	spin_unlock_bh(&att->lock);
	if (sock)
		sock_release(sock);
}

/**
 * ixgbe_bifurc_flow_add - BIFURC_IOC_FLOW_ADD
 * @att: the file's live attachment
 * @r: the request; rule_id is filled in
 * @hold: hold the rule's destination port on the netdev (a caller
 *	without CAP_NET_ADMIN)
 *
 * Context: process context, RTNL held.
 * Return: 0 or a negative errno (uapi section 8).
 */
long ixgbe_bifurc_flow_add(struct ixgbe_bifurc_att *att,
			   struct bifurc_flow_rule *r, bool hold)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	u32 max_loc = (1024 << adapter->fdir_pballoc) - 2;
	struct ixgbe_fdir_filter *input, *rule;
	struct socket *sock = NULL;
	union ixgbe_atr_input mask;
	u32 owned = 0;
	long err;
	int loc;

	ASSERT_RTNL();
	if (!(adapter->flags & IXGBE_FLAG_FDIR_PERFECT_CAPABLE))
		return -EOPNOTSUPP;
	err = ixgbe_bifurc_check_flow(r);
	if (err)
		return err;
	if (hold && att->nr_held >= IXGBE_BIFURC_MAX_FLOWS)
		return -ENOSPC;

	input = kzalloc(sizeof(*input), GFP_KERNEL);
	if (!input)
		return -ENOMEM;
	if (hold) {
		err = ixgbe_bifurc_hold_port(att, r, &sock);
		if (err) {
			kfree(input);
			return err;
		}
	}
	ixgbe_bifurc_flow_input(r, &input->filter, &mask);
	input->action = att->queue;
	input->bifurc_owner = att;

	spin_lock(&adapter->fdir_perfect_lock);
	if (!hlist_empty(&adapter->fdir_filter_list) &&
	    memcmp(&adapter->fdir_mask, &mask, sizeof(mask))) {
		err = -EBUSY;	/* one mask per port, 7.1.2.7 */
		goto out_unlock;
	}
	/* applies the mask to the filter, as the NIC will */
	ixgbe_atr_compute_perfect_hash_82599(&input->filter, &mask);
	hlist_for_each_entry(rule, &adapter->fdir_filter_list, fdir_node) {
		if (!memcmp(&rule->filter, &input->filter,
			    sizeof(input->filter))) {
			err = -EEXIST;
			goto out_unlock;
		}
		owned += rule->bifurc_owner == att;
	}
	if (owned >= IXGBE_BIFURC_MAX_FLOWS ||
	    adapter->fdir_filter_count >= max_loc) {
		err = -ENOSPC;
		goto out_unlock;
	}
	loc = ixgbe_bifurc_free_loc(adapter, max_loc);
	if (loc < 0) {
		err = loc;
		goto out_unlock;
	}
	input->sw_idx = loc;

	if (hlist_empty(&adapter->fdir_filter_list)) {
		/* first rule on the port: it sets the mask, 8.2.3.21 FDIRM */
		err = ixgbe_fdir_set_input_mask_82599(&adapter->hw, &mask);
		if (err) {
			err = -EINVAL;
			goto out_unlock;
		}
		memcpy(&adapter->fdir_mask, &mask, sizeof(mask));
	}
	/* 8.2.3.21 FDIRHASH/FDIRCMD: the filter steers to our queue only */
	err = ixgbe_fdir_write_perfect_filter_82599(&adapter->hw,
						    &input->filter,
						    input->sw_idx,
						    att->ring->reg_idx);
	if (err) {
		err = -EIO;
		goto out_unlock;
	}
	ixgbe_update_ethtool_fdir_entry(adapter, input, input->sw_idx);
	spin_unlock(&adapter->fdir_perfect_lock);
	r->rule_id = loc;
	if (sock) {
		spin_lock_bh(&att->lock);
		att->held[att->nr_held].rule_id = loc;
		att->held[att->nr_held].port = ntohs(r->value.dst_port);
		att->held[att->nr_held++].sock = sock;
		spin_unlock_bh(&att->lock);
	}
	return 0;

out_unlock:
	spin_unlock(&adapter->fdir_perfect_lock);
	kfree(input);
	if (sock)
		sock_release(sock);
	return err;
}

/**
 * ixgbe_bifurc_flow_del - BIFURC_IOC_FLOW_DEL
 * @att: the file's live attachment
 * @rule_id: location returned by FLOW_ADD
 *
 * Context: process context, RTNL held.
 * Return: 0, or -ENOENT if the file owns no rule at @rule_id (including a
 * rule the administrator deleted or replaced).
 */
long ixgbe_bifurc_flow_del(struct ixgbe_bifurc_att *att, u32 rule_id)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_fdir_filter *rule;
	long err = -ENOENT;

	ASSERT_RTNL();
	spin_lock(&adapter->fdir_perfect_lock);
	hlist_for_each_entry(rule, &adapter->fdir_filter_list, fdir_node) {
		if (rule->sw_idx != rule_id)
			continue;
		if (rule->bifurc_owner == att)
			err = ixgbe_update_ethtool_fdir_entry(adapter, NULL,
							      rule_id);
		break;
	}
	spin_unlock(&adapter->fdir_perfect_lock);
	if (!err)
		ixgbe_bifurc_release_port(att, rule_id);
	return err;
}

/**
 * ixgbe_bifurc_flow_flush - remove every rule a file owns
 * @att: the attachment, being torn down
 *
 * Called before the queue's DMA side goes away, so that no rule steers to a
 * dead queue, and so that ixgbe_fdir_filter_restore() never brings one back
 * after a reset.  The ports the rules held are free again.
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_flow_flush(struct ixgbe_bifurc_att *att)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	struct ixgbe_fdir_filter *rule;
	struct hlist_node *next;

	ASSERT_RTNL();
	spin_lock(&adapter->fdir_perfect_lock);
	hlist_for_each_entry_safe(rule, next, &adapter->fdir_filter_list,
				  fdir_node)
		if (rule->bifurc_owner == att)
			ixgbe_update_ethtool_fdir_entry(adapter, NULL,
							rule->sw_idx);
	spin_unlock(&adapter->fdir_perfect_lock);
	while (att->nr_held)
		ixgbe_bifurc_release_port(att, att->held[0].rule_id);
}

/**
 * ixgbe_bifurc_flow_mask - BIFURC_IOC_FLOW_MASK
 * @att: the file's live attachment
 * @m: filled in: the port's mask and who holds it
 *
 * Context: process context, RTNL held.
 */
void ixgbe_bifurc_flow_mask(struct ixgbe_bifurc_att *att,
			    struct bifurc_flow_mask *m)
{
	struct ixgbe_adapter *adapter = att->bdev->adapter;
	const u8 l4 = IXGBE_ATR_L4TYPE_IPV6_MASK | IXGBE_ATR_L4TYPE_MASK;
	union ixgbe_atr_input *fm = &adapter->fdir_mask;
	struct ixgbe_fdir_filter *rule;

	ASSERT_RTNL();
	spin_lock(&adapter->fdir_perfect_lock);
	hlist_for_each_entry(rule, &adapter->fdir_filter_list, fdir_node) {
		m->rules++;
		m->owned += rule->bifurc_owner == att;
	}
	if (m->rules) {
		m->flags = BIFURC_MASK_F_SET;
		if (fm->formatted.flow_type != l4 || fm->formatted.vlan_id ||
		    fm->formatted.flex_bytes || fm->formatted.vm_pool)
			m->flags |= BIFURC_MASK_F_OTHER;
		m->mask.family = BIFURC_FLOW_IPV4;
		m->mask.src_port = fm->formatted.src_port;
		m->mask.dst_port = fm->formatted.dst_port;
		m->mask.src_addr[0] = fm->formatted.src_ip[0];
		m->mask.dst_addr[0] = fm->formatted.dst_ip[0];
	}
	spin_unlock(&adapter->fdir_perfect_lock);
}
