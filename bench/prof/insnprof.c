// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a QEMU TCG plugin that counts guest instructions per
 * translation block, for `make bench`'s profile of where a receive
 * method's instructions go (issue 9).  Under -icount shift=0 one guest
 * instruction is one ns of guest CPU time, so these counts are the same
 * currency as the benchmark's ns per packet.
 *
 *   qemu-system-x86_64 -plugin insnprof.so,dir=DIR ...
 *
 * Every block gets an inline counter (no callback per execution).  The
 * guest marks the moments it wants a snapshot at by executing
 * PROF_MARK ("xchg %bx,%bx", a no-op nothing else emits); the N-th mark
 * writes DIR/prof-N.txt, one "vaddr insns executions" line per block run
 * since boot, from the vCPU thread, so no guest instruction runs, and no
 * icount time passes, while it is written.  The difference of two
 * snapshots is the profile of what ran between the two marks.  A block's
 * count is its executions times its length: a block left early by an
 * exception is counted whole, which is rare enough not to matter.
 *
 *   qemu-system-x86_64 -plugin insnprof.so,dir=DIR,count=vcpus ...
 *
 * counts instructions per vCPU instead ("cpu N insns" lines), for the TCP
 * phase: how much work the stream's own CPU does per byte, whatever runs
 * on the other one.  Translated blocks are shared by all vCPUs, so this
 * takes a callback per block executed, not an inline add: slower, and
 * meant for multi-threaded TCG, where vCPUs run in parallel.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define HASH_BITS	20
#define SLAB_BLOCKS	4096
#define MAX_VCPUS	64

static const unsigned char PROF_MARK[] = { 0x66, 0x87, 0xdb };

/*
 * Generated code holds a pointer to its block's counter, so a block, once
 * allocated, never moves: blocks come from slabs and are chained in the
 * hash, never rehashed.
 */
struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;		/* bumped by generated code */
	struct block *next;
};

/* each vCPU thread bumps its own; a line each, so they share no line */
struct vcpu_count {
	uint64_t insns;
} __attribute__((aligned(64)));

struct profile {
	pthread_mutex_t lock;	/* hash and slab; not execs */
	int per_vcpu;
	struct vcpu_count vcpu[MAX_VCPUS];
	struct block *hash[1u << HASH_BITS];
	struct block *slab;
	unsigned int slab_used;
	unsigned int marks;
	char dir[4096];
};

static struct profile *prof;

static unsigned int block_hash(uint64_t vaddr, uint64_t insns)
{
	return (unsigned int)(((vaddr ^ (insns << 48)) * 0x9e3779b97f4a7c15ull)
			      >> (64 - HASH_BITS));
}

static struct block *block_get(uint64_t vaddr, uint64_t insns)
{
	struct block **head = &prof->hash[block_hash(vaddr, insns)], *b;

	for (b = *head; b; b = b->next)
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	if (!prof->slab || prof->slab_used == SLAB_BLOCKS) {
		prof->slab = calloc(SLAB_BLOCKS, sizeof(*b));
		if (!prof->slab)
			return NULL;
		prof->slab_used = 0;
	}
	b = &prof->slab[prof->slab_used++];
	b->vaddr = vaddr;
	b->insns = insns;
	b->next = *head;
	*head = b;
	return b;
}

/*
 * Other vCPUs may bump counters while we read them (icount runs them on
 * one thread, so then they do not): each read is one aligned 64-bit load,
 * a count some instant had.
 */
static int snapshot(unsigned int n)
{
	char path[4200], tmp[4210];
	struct block *b;
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/prof-%u.txt", prof->dir, n);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	pthread_mutex_lock(&prof->lock);
	for (i = 0; prof->per_vcpu && i < MAX_VCPUS; i++) {
		uint64_t n = __atomic_load_n(&prof->vcpu[i].insns, __ATOMIC_RELAXED);

		if (n)
			fprintf(f, "cpu %u %" PRIu64 "\n", i, n);
	}
	for (i = 0; !prof->per_vcpu && i < (1u << HASH_BITS); i++)
		for (b = prof->hash[i]; b; b = b->next) {
			uint64_t n = __atomic_load_n(&b->execs, __ATOMIC_RELAXED);

			if (n)
				fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
					b->vaddr, b->insns, n);
		}
	pthread_mutex_unlock(&prof->lock);
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

static void on_mark(unsigned int vcpu, void *udata)
{
	unsigned int n;

	(void)vcpu;
	(void)udata;
	n = __atomic_add_fetch(&prof->marks, 1, __ATOMIC_RELAXED);
	if (snapshot(n))
		fprintf(stderr, "insnprof: snapshot %u failed\n", n);
}

static void on_tb_exec(unsigned int vcpu, void *insns)
{
	uint64_t *n;

	if (vcpu >= MAX_VCPUS)
		return;
	/* only this thread writes it: no locked add */
	n = &prof->vcpu[vcpu].insns;
	__atomic_store_n(n, __atomic_load_n(n, __ATOMIC_RELAXED) +
			 (uintptr_t)insns, __ATOMIC_RELAXED);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *insn;
	struct block *b;

	(void)id;
	if (prof->per_vcpu) {
		qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec,
			QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)n);
	} else {
		pthread_mutex_lock(&prof->lock);
		b = block_get(qemu_plugin_tb_vaddr(tb), n);
		pthread_mutex_unlock(&prof->lock);
		if (b)
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
				QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
	}
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		if (qemu_plugin_insn_size(insn) == sizeof(PROF_MARK) &&
		    !memcmp(qemu_plugin_insn_data(insn), PROF_MARK,
			    sizeof(PROF_MARK)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
				QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int per_vcpu = argc == 2 && !strcmp(argv[1], "count=vcpus");

	(void)info;
	if (argc < 1 || argc > 2 || strncmp(argv[0], "dir=", 4) ||
	    (argc == 2 && !per_vcpu && strcmp(argv[1], "count=blocks"))) {
		fprintf(stderr, "insnprof: usage: -plugin insnprof.so,dir=DIR[,count=blocks|vcpus]\n");
		return -1;
	}
	prof = calloc(1, sizeof(*prof));
	if (!prof)
		return -1;
	pthread_mutex_init(&prof->lock, NULL);
	prof->per_vcpu = per_vcpu;
	snprintf(prof->dir, sizeof(prof->dir), "%s", argv[0] + 4);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
