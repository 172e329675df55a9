/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bifurcctl: the administrator's tool for bifurc (reserve queues, steer
 * flows, read counters, grant access).  Internal header shared by the
 * command files, the real backend and the test backend.
 *
 * Three things are reached through a backend table so that host tests can
 * run every command without a NIC: the interface list (if_nameindex(3) in
 * the real tool), the SIOCETHTOOL ioctl, and writes to the bifurc
 * class device's attributes (a plain write in the real tool; the test
 * backend gives the files of its tree the kernel's semantics).  Everything
 * else is plain files under the sysfs root ("/sys", or --sysfs-root DIR /
 * BIFURC_SYSFS_ROOT for tests) and the device root ("/dev", or
 * BIFURC_DEV_ROOT for tests).
 *
 * Exit codes follow iproute2: 0 ok, 1 runtime error, 2 usage error.
 */
#ifndef BIFURCCTL_H
#define BIFURCCTL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/bifurc.h>
#include <linux/ethtool.h>

#define BCTL_OK		0
#define BCTL_ERR	1	/* runtime error */
#define BCTL_USAGE	2	/* usage error */

#define BCTL_VERSION	"0.1"

/* The group udev gives the device nodes (packaging/udev/60-bifurc.rules). */
#define BCTL_NODE_GROUP	"bifurc"

struct bctl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char operstate[16];	/* "up", "down", "unknown", ... */
};

struct bctl;

struct bctl_backend {
	/* Every interface, sorted by ifindex; *links is malloc()ed. 0/-errno */
	int (*link_list)(const struct bctl *b, struct bctl_link **links,
			 size_t *n);
	/* One interface by name; -ENODEV if there is none.  0/-errno */
	int (*link_get)(const struct bctl *b, const char *name,
			struct bctl_link *link);
	/* SIOCETHTOOL on @ifname with @cmd as ifr_data.  0/-errno */
	int (*ethtool)(const struct bctl *b, const char *ifname, void *cmd);
	/*
	 * Write @val to the class device attribute at @rel (below the sysfs
	 * root: reserve, release, grant).  0/-errno, the kernel's errno.
	 */
	int (*attr_write)(const struct bctl *b, const char *rel,
			  const char *val);
};

struct bctl {
	const struct bctl_backend *bk;
	const char *sysfs_root;		/* "/sys" */
	const char *dev_root;		/* "/dev" */
	bool dev_root_set;		/* BIFURC_DEV_ROOT given (tests) */
	bool json;
	bool pretty;
};

/* Copy with truncation, always NUL terminated (like strlcpy). */
static inline void bctl_strlcpy(char *dst, const char *src, size_t len)
{
	size_t n = 0;

	while (n + 1 < len && src[n]) {
		dst[n] = src[n];
		n++;
	}
	if (len)
		dst[n] = '\0';
}

/* main.c */
int bifurcctl_main(int argc, char **argv, const struct bctl_backend *bk);
__attribute__((format(printf, 1, 2))) void bctl_err(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) int bctl_usage_err(const char *fmt, ...);
int bctl_bad_word(const char *word, const char *what,
		  const char *const *choices);
int bctl_parse_u32(const char *s, const char *what, uint32_t max,
		   uint32_t *out);
bool bctl_is_help(const char *s);

/* Argument cursor shared by the commands. */
struct bctl_args {
	int argc;
	char **argv;
};
const char *bctl_next(struct bctl_args *a);
const char *bctl_peek(const struct bctl_args *a);
int bctl_need(struct bctl_args *a, const char *what, const char **out);

/* sysfs.c: paths and facts about one interface. */
enum bctl_grant_kind {
	BCTL_GRANT_NONE = 0,
	BCTL_GRANT_USER,
	BCTL_GRANT_GROUP,
};

/*
 * Who may attach a queue without CAP_NET_ADMIN (the "grant" attribute),
 * and which destination ports its flow rules may name: port_lo..port_hi,
 * or port_lo 0 for a grant without ports (any port the grantee could
 * bind).  Port ranges came with the v7 series.
 */
struct bctl_grant {
	enum bctl_grant_kind kind;
	uint32_t id;			/* uid or gid */
	uint16_t port_lo, port_hi;	/* 1 <= lo <= hi, or both 0 */
};

/*
 * Who holds an attached queue, from the owners attribute (v10 series):
 * pid 0 when the queue has no line there.
 */
#define BCTL_OWNER_RULES	64
struct bctl_owner {
	int pid;			/* in our pid namespace, 0: unknown */
	uint32_t uid;
	long long since;		/* CLOCK_BOOTTIME seconds */
	char mode[3][16];		/* "ring"/"raw", "irq"/"busy-poll", "rx"/"rx+tx" */
	uint32_t rules[BCTL_OWNER_RULES];
	unsigned int nr_rules;
	char comm[64];
};

struct bctl_dev {
	struct bctl_link link;
	char bdf[32];			/* "0000:03:00.0" or "" */
	char driver[32];		/* "ixgbe" or "" */
	char classdev[64];		/* "bifurc-0000:03:00.0" or "" */
	char chardev[256];		/* "/dev/bifurc/0000:03:00.0" or "" */
	char devt[16];			/* "240:0" or "" */
	uint32_t rx_queues;		/* from queues/rx-* */
	uint64_t reserved[2];		/* bit q: reserved (BIFURC_MAX_QUEUES) */
	uint64_t attached[2];		/* bit q: attached */
	int ntuple;			/* 1 on, 0 off, -1 unknown */
	/*
	 * 1: the kernel has per-queue grants and grant[] holds them; 0: a
	 * kernel without the grant attribute (anyone who may open the node
	 * may attach any reserved queue); -1: unreadable.
	 */
	int grants;
	struct bctl_grant grant[BIFURC_MAX_QUEUES];
	/* 1: owner[] holds the owners attribute; 0: no such attribute; -1:
	 * unreadable or in a format this bifurcctl does not know
	 */
	int owners;
	struct bctl_owner owner[BIFURC_MAX_QUEUES];
	/* 1: mirrored[] holds the mirror attribute; 0: no such attribute */
	int mirrors;
	uint64_t mirrored[2];		/* bit q: copied to the packet taps */
};

int bctl_sys_read(const struct bctl *b, const char *rel, char *buf,
		  size_t len);
int bctl_sys_write(const struct bctl *b, const char *rel, const char *val);
int bctl_parse_qlist(const char *s, uint64_t mask[2]);
int bctl_parse_grants(const char *s, struct bctl_grant g[BIFURC_MAX_QUEUES]);
int bctl_parse_owners(const char *s, struct bctl_owner o[BIFURC_MAX_QUEUES]);
const char *bctl_grant_kind_name(enum bctl_grant_kind kind);
int bctl_dev_fill(const struct bctl *b, struct bctl_dev *d);
int bctl_dev_open(const struct bctl *b, const char *ifname,
		  struct bctl_dev *d, bool need_bifurc);
static inline bool bctl_qbit(const uint64_t m[2], uint32_t q)
{
	return q < 128 && (m[q / 64] >> (q % 64)) & 1;
}
void bctl_print_qlist(FILE *f, const uint64_t m[2]);
const char *bctl_strerror_perm(int err);

/* ethtool.c: the ioctl calls used by steer and stats. */
int bctl_ntuple_state(const struct bctl *b, const char *ifname);
int bctl_ntuple_on(const struct bctl *b, const char *ifname);
int bctl_rx_rings(const struct bctl *b, const char *ifname, uint32_t *n);
struct bctl_rules {
	uint32_t table_size;
	uint32_t n;
	struct ethtool_rx_flow_spec *fs;	/* n entries, by location */
};
int bctl_rules_get(const struct bctl *b, const char *ifname,
		   struct bctl_rules *r);
void bctl_rules_free(struct bctl_rules *r);
struct bctl_stat {
	char name[ETH_GSTRING_LEN];
	uint64_t value;
};
int bctl_stats_get(const struct bctl *b, const char *ifname,
		   struct bctl_stat **st, size_t *n);

/* rule.c: rule text <-> struct ethtool_rx_flow_spec. */
struct bctl_rule_spec {
	struct ethtool_rx_flow_spec fs;
	bool have_loc;
};
int bctl_rule_parse(struct bctl_args *a, struct bctl_rule_spec *r);
int bctl_rule_format(const struct ethtool_rx_flow_spec *fs, char *buf,
		     size_t len);
int bctl_rule_mask_desc(const struct ethtool_rx_flow_spec *fs, char *buf,
			size_t len);
bool bctl_rule_same_mask(const struct ethtool_rx_flow_spec *a,
			 const struct ethtool_rx_flow_spec *b);
const char *bctl_flow_name(uint32_t flow_type);
struct bctl_json;
/* the rule's fields, into the JSON object the caller has open */
void bctl_rule_json(struct bctl_json *j, const struct ethtool_rx_flow_spec *fs);
void bctl_owner_json(struct bctl_json *j, const struct bctl_owner *o,
		     int queue);

/* json.c: a small streaming JSON writer. */
struct bctl_json {
	FILE *f;
	int depth;
	bool first[16];
	bool pretty;
};
void bctl_json_init(struct bctl_json *j, FILE *f, bool pretty);
void bctl_json_obj_open(struct bctl_json *j, const char *key);
void bctl_json_obj_close(struct bctl_json *j);
void bctl_json_arr_open(struct bctl_json *j, const char *key);
void bctl_json_arr_close(struct bctl_json *j);
void bctl_json_str(struct bctl_json *j, const char *key, const char *v);
void bctl_json_u64(struct bctl_json *j, const char *key, uint64_t v);
void bctl_json_int(struct bctl_json *j, const char *key, long long v);
void bctl_json_double(struct bctl_json *j, const char *key, double v);
void bctl_json_bool(struct bctl_json *j, const char *key, bool v);
void bctl_json_null(struct bctl_json *j, const char *key);
void bctl_json_qlist(struct bctl_json *j, const char *key,
		     const uint64_t m[2]);
void bctl_json_end(struct bctl_json *j);

/* Commands: argument cursor after the object word. */
int bctl_cmd_dev(struct bctl *b, struct bctl_args *a);
int bctl_cmd_reserve(struct bctl *b, struct bctl_args *a, bool reserve);
int bctl_cmd_steer(struct bctl *b, struct bctl_args *a);
int bctl_cmd_stats(struct bctl *b, struct bctl_args *a);
int bctl_cmd_top(struct bctl *b, struct bctl_args *a);
int bctl_cmd_grant(struct bctl *b, struct bctl_args *a);
int bctl_cmd_mirror(struct bctl *b, struct bctl_args *a);
int bctl_cmd_apply(struct bctl *b, struct bctl_args *a);
int bctl_cmd_dump_config(struct bctl *b, struct bctl_args *a);
/* cmd_grant.c: "LO" or "LO-HI", 1 <= LO <= HI <= 65535; 0 or BCTL_USAGE. */
int bctl_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);
int bctl_grant_parse(struct bctl_args *a, const char **ifname, uint32_t *q,
		     struct bctl_grant *g, char *canon, size_t len);
bool bctl_grant_same(const struct bctl_grant *a, const struct bctl_grant *c);
void bctl_grant_desc(const struct bctl_grant *g, bool ids, char *buf,
		     size_t len);

/* cmd_queue.c: "IF queue N" and the range check shared by the commands. */
int bctl_parse_if_queue(struct bctl_args *a, const char **ifname,
			uint32_t *queue);
int bctl_check_queue(const struct bctl_dev *d, uint32_t q);

/* Messages for errno values a user can act on (errors.c). */
const char *bctl_reserve_errmsg(int err, bool reserve);
const char *bctl_grant_errmsg(int err);

#endif /* BIFURCCTL_H */
