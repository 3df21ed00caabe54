/* The supervisor's container table and the commands every harness stubs alike, for the
 * harnesses that drive init/control.c without PID 1 (tests/unit/test_control.c,
 * tests/fuzz/fuzz_control.c). The includer defines `ctrs`, an array of struct ctr, and
 * `nctr`, how many of them are in use; here the stubs stand for the supervisor, and write
 * the table as it would. */
#pragma once

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../init/network.h"
#include "../init/output.h"
#include "../init/supervisor.h"

size_t sup_count(void)
{
	return nctr;
}

const struct ctr *sup_at(size_t i)
{
	return &ctrs[i];
}

const struct ctr *sup_find(const char *name)
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

/* As the supervisor's for a spec with errors, the longest status there is. */
void ctr_status(const struct ctr *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s", c->state == CTR_INVALID ? c->spec->error : "");
}

int sup_stop(size_t i, void (*fn)(void *ctx, size_t i, bool exited), void *ctx)
{
	if (ctrs[i].stopped)
		return -EBUSY;
	ctrs[i].stopped = fn;
	ctrs[i].stopped_ctx = ctx;
	ctrs[i].stopping = true;
	return 0;
}

void sup_stop_forget(size_t i)
{
	ctrs[i].stopped = NULL;
}

/* What the supervisor does once C has exited (EXITED) or outlived its SIGKILL. */
static inline void stub_stop_done(struct ctr *c, bool exited)
{
	void (*fn)(void *ctx, size_t i, bool exited) = c->stopped;

	c->stopped = NULL;
	if (fn)
		fn(c->stopped_ctx, c->idx, exited);
}

/* kbox exec's relays that control.c waits for, in the slots of a table. */
static struct sup_child *stub_children[1024];

void sup_child_add(struct sup_child *ch)
{
	size_t i = 0;

	while (i < ARRAY_SIZE(stub_children) && stub_children[i])
		i++;
	if (i == ARRAY_SIZE(stub_children))
		abort(); /* more relays than any harness starts: one is never taken back */
	stub_children[i] = ch;
}

void sup_child_del(struct sup_child *ch)
{
	for (size_t i = 0; i < ARRAY_SIZE(stub_children); i++)
		stub_children[i] = stub_children[i] == ch ? NULL : stub_children[i];
}

/* The supervisor's reaper met PID: true if control.c waited for it. */
static inline bool stub_reap(pid_t pid, int status)
{
	struct sup_child *ch = NULL;

	for (size_t i = 0; !ch && i < ARRAY_SIZE(stub_children); i++)
		ch = stub_children[i] && stub_children[i]->pid == pid ? stub_children[i] : NULL;
	if (!ch)
		return false;
	sup_child_del(ch);
	ch->reaped(ch, status);
	return true;
}

void network_format(size_t i, char buf[16])
{
	(void)i;
	snprintf(buf, 16, "-");
}

bool output_has_log(size_t i)
{
	(void)i;
	return false;
}
