// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Flow rules owned by the queue: BIFURC_IOC_FLOW_ADD / _DEL / _MASK.
 * The kernel validates every field; the library only translates the
 * "zero mask means exact match for a non-zero value" convenience rule of
 * struct bifurc_flow (bifurc.h) into explicit masks.
 *
 * struct bifurc_flow gained its size field in 0.3: bifurc_flow_add and
 * bifurc_flow_mask have a default version for it and a 0.1 version for
 * programs built with the old structure (libbifurc.map).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "internal.h"

static int is_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

/* The mask for one field: given, or derived from the value. */
static void field_mask(void *mask, const void *given, const void *value,
		       size_t len)
{
	if (!is_zero(given, len))
		memcpy(mask, given, len);
	else if (!is_zero(value, len))
		memset(mask, 0xff, len);
	else
		memset(mask, 0, len);
}

static int family_to_abi(uint8_t family, uint8_t *abi, size_t *alen)
{
	switch (family) {
	case 0:
	case AF_INET:
		*abi = BIFURC_FLOW_IPV4;
		*alen = 4;
		return 0;
	case AF_INET6:
		*abi = BIFURC_FLOW_IPV6;
		*alen = 16;
		return 0;
	}
	return -EINVAL;
}

/*
 * The caller's flow, by the rules of struct bifurc_opts: size covers at
 * least proto, a tail beyond what we know must be zero, a missing tail
 * reads as zero.
 */
static int parse_flow(const struct bifurc_flow *in, struct bifurc_flow *f)
{
	const unsigned char *b = (const unsigned char *)in;
	size_t i;

	if (in->size < BF_FLOW_SIZE_MIN)
		return -EINVAL;
	for (i = sizeof(*f); i < in->size; i++)
		if (b[i])
			return -E2BIG;
	memset(f, 0, sizeof(*f));
	memcpy(f, in, in->size < sizeof(*f) ? in->size : sizeof(*f));
	f->size = sizeof(*f);
	return 0;
}

static int flow_add(struct bifurc_queue *q, const struct bifurc_flow *flow)
{
	struct bifurc_flow_rule r;
	size_t alen;
	int err;

	if (flow->reserved || flow->reserved1)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	err = family_to_abi(flow->family, &r.value.family, &alen);
	if (err)
		return err;
	r.value.proto = flow->proto;
	r.value.src_port = flow->src_port;
	r.value.dst_port = flow->dst_port;
	memcpy(r.value.src_addr, &flow->src, alen);
	memcpy(r.value.dst_addr, &flow->dst, alen);
	field_mask(&r.mask.src_port, &flow->src_port_mask, &flow->src_port, 2);
	field_mask(&r.mask.dst_port, &flow->dst_port_mask, &flow->dst_port, 2);
	field_mask(r.mask.src_addr, &flow->src_mask, &flow->src, alen);
	field_mask(r.mask.dst_addr, &flow->dst_mask, &flow->dst, alen);

	if (ioctl(q->fd, BIFURC_IOC_FLOW_ADD, &r) < 0)
		return -errno;
	if (r.rule_id > (uint32_t)INT32_MAX)
		return -EPROTO;
	return (int)r.rule_id;
}

BF_DEFAULT_VERSION(bifurc_flow_add_v0_3, bifurc_flow_add, LIBBIFURC_0.3)
int bifurc_flow_add_v0_3(struct bifurc_queue *q,
			 const struct bifurc_flow *flow)
{
	struct bifurc_flow f;
	int err;

	if (!q || !flow)
		return -EINVAL;
	err = parse_flow(flow, &f);
	return err ? err : flow_add(q, &f);
}

/* Programs built against 0.1 and 0.2: their flow has no size. */
BF_COMPAT_VERSION(bifurc_flow_add_v0_1, bifurc_flow_add, LIBBIFURC_0.1)
int bifurc_flow_add_v0_1(struct bifurc_queue *q,
			 const struct bifurc_flow_v0_1 *flow)
{
	struct bifurc_flow f;

	if (!q || !flow)
		return -EINVAL;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	memcpy(&f.proto, flow, sizeof(*flow));
	return flow_add(q, &f);
}

int bifurc_flow_del(struct bifurc_queue *q, int rule_id)
{
	struct bifurc_flow_del d;

	if (!q || rule_id < 0)
		return -EINVAL;
	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	d.rule_id = (uint32_t)rule_id;
	if (ioctl(q->fd, BIFURC_IOC_FLOW_DEL, &d) < 0)
		return -errno;
	return 0;
}

/* The port's mask into *info, all of it (info->mask.size untouched). */
static int flow_mask(struct bifurc_queue *q,
		     struct bifurc_flow_mask_info *info)
{
	struct bifurc_flow_mask m;

	memset(&m, 0, sizeof(m));
	m.size = sizeof(m);
	if (ioctl(q->fd, BIFURC_IOC_FLOW_MASK, &m) < 0)
		return -errno;

	memset(info, 0, sizeof(*info));
	if (m.flags & BIFURC_MASK_F_SET)
		info->flags |= BIFURC_FLOW_MASK_SET;
	if (m.flags & BIFURC_MASK_F_OTHER)
		info->flags |= BIFURC_FLOW_MASK_OTHER;
	info->rules = m.rules;
	info->owned = m.owned;
	info->mask.proto = m.mask.proto;
	info->mask.family = m.mask.family == BIFURC_FLOW_IPV6 ? AF_INET6 :
			    m.mask.family == BIFURC_FLOW_IPV4 ? AF_INET : 0;
	info->mask.src_port_mask = m.mask.src_port;
	info->mask.dst_port_mask = m.mask.dst_port;
	memcpy(&info->mask.src_mask, m.mask.src_addr, sizeof(m.mask.src_addr));
	memcpy(&info->mask.dst_mask, m.mask.dst_addr, sizeof(m.mask.dst_addr));
	return 0;
}

/*
 * info->mask.size says how much of mask the caller has room for; as the
 * kernel does for its output structures, we write no more than that and
 * leave there how much we wrote.
 */
BF_DEFAULT_VERSION(bifurc_flow_mask_v0_3, bifurc_flow_mask, LIBBIFURC_0.3)
int bifurc_flow_mask_v0_3(struct bifurc_queue *q,
			  struct bifurc_flow_mask_info *info)
{
	struct bifurc_flow_mask_info m;
	size_t len;
	int err;

	if (!q || !info || info->mask.size < BF_FLOW_SIZE_MIN)
		return -EINVAL;
	err = flow_mask(q, &m);
	if (err)
		return err;
	len = info->mask.size < sizeof(m.mask) ? info->mask.size :
						 sizeof(m.mask);
	m.mask.size = len;
	memcpy(info, &m, offsetof(struct bifurc_flow_mask_info, mask) + len);
	return 0;
}

BF_COMPAT_VERSION(bifurc_flow_mask_v0_1, bifurc_flow_mask, LIBBIFURC_0.1)
int bifurc_flow_mask_v0_1(struct bifurc_queue *q,
			  struct bifurc_flow_mask_info_v0_1 *info)
{
	struct bifurc_flow_mask_info m;
	int err;

	if (!q || !info)
		return -EINVAL;
	err = flow_mask(q, &m);
	if (err)
		return err;
	info->flags = m.flags;
	info->rules = m.rules;
	info->owned = m.owned;
	info->reserved = 0;
	memcpy(&info->mask, &m.mask.proto, sizeof(info->mask));
	return 0;
}
