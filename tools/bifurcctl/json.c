// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer in the manner of iproute2's json_print:
 * objects and arrays nest, keys are given with each value (NULL inside an
 * array), strings are escaped per RFC 8259.  -p adds newlines and
 * indentation.
 */
#include <inttypes.h>
#include <math.h>

#include "bifurcctl.h"

void bctl_json_init(struct bctl_json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->pretty = pretty;
}

static void put_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void sep(struct bctl_json *j, const char *key)
{
	int i;

	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->pretty && j->depth) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("    ", j->f);
	}
	if (key) {
		put_str(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void open_(struct bctl_json *j, const char *key, char c)
{
	sep(j, key);
	fputc(c, j->f);
	if (j->depth < 15)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct bctl_json *j, char c)
{
	bool empty = j->first[j->depth];
	int i;

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("    ", j->f);
	}
	fputc(c, j->f);
}

void bctl_json_obj_open(struct bctl_json *j, const char *key) { open_(j, key, '{'); }
void bctl_json_obj_close(struct bctl_json *j) { close_(j, '}'); }
void bctl_json_arr_open(struct bctl_json *j, const char *key) { open_(j, key, '['); }
void bctl_json_arr_close(struct bctl_json *j) { close_(j, ']'); }

void bctl_json_str(struct bctl_json *j, const char *key, const char *v)
{
	sep(j, key);
	put_str(j->f, v);
}

void bctl_json_u64(struct bctl_json *j, const char *key, uint64_t v)
{
	sep(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void bctl_json_int(struct bctl_json *j, const char *key, long long v)
{
	sep(j, key);
	fprintf(j->f, "%lld", v);
}

void bctl_json_double(struct bctl_json *j, const char *key, double v)
{
	sep(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.3f", v);
	else
		fputs("null", j->f);	/* JSON has no NaN or infinity */
}

void bctl_json_bool(struct bctl_json *j, const char *key, bool v)
{
	sep(j, key);
	fputs(v ? "true" : "false", j->f);
}

void bctl_json_null(struct bctl_json *j, const char *key)
{
	sep(j, key);
	fputs("null", j->f);
}

void bctl_json_qlist(struct bctl_json *j, const char *key, const uint64_t m[2])
{
	uint32_t q;

	bctl_json_arr_open(j, key);
	for (q = 0; q < 128; q++)
		if (bctl_qbit(m, q))
			bctl_json_u64(j, NULL, q);
	bctl_json_arr_close(j);
}

void bctl_json_end(struct bctl_json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
