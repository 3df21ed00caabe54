/* The supervisor's container table, stubbed for the harnesses that drive init/control.c
 * without PID 1 (tests/unit/test_control.c, tests/fuzz/fuzz_control.c). The includer
 * defines `ctrs`, an array of struct ctr, and `nctr`, how many of them are in use. */
#pragma once

#include <string.h>

size_t sup_count(void)
{
	return nctr;
}

struct ctr *sup_at(size_t i)
{
	return &ctrs[i];
}

struct ctr *sup_find(const char *name)
{
	for (size_t i = 0; i < nctr; i++)
		if (!strcmp(ctrs[i].spec->name, name))
			return &ctrs[i];
	return NULL;
}

bool ctr_alive(const struct ctr *c)
{
	return c->state == CTR_STARTING || c->state == CTR_RUNNING;
}

const char *ctr_state_name(enum ctr_state state)
{
	return state == CTR_RUNNING ? "running" : "other";
}
