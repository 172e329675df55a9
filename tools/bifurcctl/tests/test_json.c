// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the JSON writer: nesting, commas, escaping, numbers,
 * null for NaN, pretty printing.
 */
#include <math.h>
#include <stdlib.h>

#include "tap.h"
#include "bifurcctl.h"

static char out[4096];

static FILE *begin(struct bctl_json *j, bool pretty)
{
	FILE *f = fmemopen(out, sizeof(out), "w");

	bctl_json_init(j, f, pretty);
	return f;
}

static int t_nesting(void)
{
	uint64_t m[2] = { (1ULL << 2) | (1ULL << 3), 1ULL << 63 };
	struct bctl_json j;
	FILE *f = begin(&j, false);

	bctl_json_arr_open(&j, NULL);
	bctl_json_obj_open(&j, NULL);
	bctl_json_str(&j, "ifname", "eth1");
	bctl_json_u64(&j, "queues", 4);
	bctl_json_qlist(&j, "reserved", m);
	bctl_json_arr_open(&j, "empty");
	bctl_json_arr_close(&j);
	bctl_json_bool(&j, "ntuple", true);
	bctl_json_null(&j, "x");
	bctl_json_obj_close(&j);
	bctl_json_obj_open(&j, NULL);
	bctl_json_obj_close(&j);
	bctl_json_arr_close(&j);
	bctl_json_end(&j);
	fclose(f);
	CHECK_STR(out, "[{\"ifname\":\"eth1\",\"queues\":4,\"reserved\":[2,3,127],"
		  "\"empty\":[],\"ntuple\":true,\"x\":null},{}]\n");
	return 0;
}

static int t_escape(void)
{
	struct bctl_json j;
	FILE *f = begin(&j, false);

	bctl_json_obj_open(&j, NULL);
	bctl_json_str(&j, "k\"", "a\\b\"c\n\t\x01");
	bctl_json_obj_close(&j);
	bctl_json_end(&j);
	fclose(f);
	CHECK_STR(out, "{\"k\\\"\":\"a\\\\b\\\"c\\n\\t\\u0001\"}\n");
	return 0;
}

static int t_numbers(void)
{
	struct bctl_json j;
	FILE *f = begin(&j, false);

	bctl_json_obj_open(&j, NULL);
	bctl_json_u64(&j, "big", UINT64_MAX);
	bctl_json_int(&j, "neg", -5);
	bctl_json_double(&j, "rate", 1.5);
	bctl_json_double(&j, "nan", NAN);
	bctl_json_obj_close(&j);
	bctl_json_end(&j);
	fclose(f);
	CHECK_STR(out, "{\"big\":18446744073709551615,\"neg\":-5,"
		  "\"rate\":1.500,\"nan\":null}\n");
	return 0;
}

static int t_pretty(void)
{
	struct bctl_json j;
	FILE *f = begin(&j, true);

	bctl_json_obj_open(&j, NULL);
	bctl_json_u64(&j, "a", 1);
	bctl_json_arr_open(&j, "b");
	bctl_json_u64(&j, NULL, 2);
	bctl_json_arr_close(&j);
	bctl_json_obj_close(&j);
	bctl_json_end(&j);
	fclose(f);
	CHECK_STR(out, "{\n    \"a\": 1,\n    \"b\": [\n        2\n    ]\n}\n");
	return 0;
}

static const struct tap_case cases[] = {
	{ "ESCAPE", t_escape },
	{ "NESTING", t_nesting },
	{ "NUMBERS", t_numbers },
	{ "PRETTY", t_pretty },
};

int main(void)
{
	return tap_run("Description: JSON writer", cases, ARRAY_SIZE(cases));
}
