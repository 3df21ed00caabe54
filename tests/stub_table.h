/* The supervisor's container table and the commands every harness stubs alike, for the
 * harnesses that drive init/control.c without PID 1 (tests/unit/test_control.c,
 * tests/fuzz/fuzz_control.c). The includer defines `ctrs`, an array of struct ctr, and
 * `nctr`, how many of them are in use; here the stubs stand for the supervisor, and write
 * the table as it would. */
#pragma once

#include <errno.h>
#include <stdio.h>
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

static struct sup_child *stub_children;

void sup_child_add(struct sup_child *ch)
{
	ch->next = stub_children;
	stub_children = ch;
}

void sup_child_del(struct sup_child *ch)
{
	for (struct sup_child **p = &stub_children; *p; p = &(*p)->next) {
		if (*p == ch) {
			*p = ch->next;
			break;
		}
	}
}

/* The supervisor's reaper met PID: true if control.c waited for it. */
static inline bool stub_reap(pid_t pid, int status)
{
	for (struct sup_child *ch = stub_children; ch; ch = ch->next) {
		if (ch->pid != pid)
			continue;
		sup_child_del(ch);
		ch->reaped(ch, status);
		return true;
	}
	return false;
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
