/* The container table as its neighbours see it: struct ctr, read-only. supervisor.c alone
 * writes it; control.c, network.c and output.c read it and keep their own state. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../runtime/spec/spec.h"
#include "loop.h"

enum ctr_state {
	CTR_INVALID,  /* the spec has errors; never started */
	CTR_WAITING,  /* for the containers named in after= to start */
	CTR_STARTING, /* cloned, the payload has not exec'd yet */
	CTR_RUNNING,
	CTR_BACKOFF, /* exited; restarts when its timer fires */
	CTR_EXITED,
	CTR_FAILED, /* setup failed before the payload ran */
};

struct ctr {
	const struct spec *spec;
	size_t idx; /* its place in the table: what the commands and observers take */
	enum ctr_state state;
	pid_t pid;
	int status;
	bool cgroup;	    /* the leaf still exists */
	long oom_kills;	    /* from memory.events when it exited */
	struct watch start; /* the child's start report */
	struct watch timer; /* restart backoff, or the stop timeout */
	unsigned seq;	    /* start order: shutdown stops the latest first */
	bool ever_started;  /* its payload ran at least once: after= is satisfied */
	bool stopping;	    /* its stop signal was sent: no restart */
	bool killed;	    /* its cgroup was killed after stop_timeout */
	bool stuck;	    /* still there long after the kill (D state): shutdown goes on */
	unsigned restarts;
	unsigned backoff_ms;	/* the next restart's delay */
	uint64_t started_ms;	/* CLOCK_MONOTONIC at the last start */
	const char *why_failed; /* set when it never started */
	/* sup_stop's caller, told once it has exited or outlived its SIGKILL */
	void (*stopped)(void *ctx, size_t i, bool exited);
	void *stopped_ctx;
};

size_t sup_count(void);
const struct ctr *sup_at(size_t i);
const struct ctr *sup_find(const char *name);
bool ctr_alive(const struct ctr *c);
const char *ctr_state_name(enum ctr_state state);
/* What happened to it, in the words of the exit lines ("killed by signal 9"); "" while it
 * runs or before it ever did. */
void ctr_status(const struct ctr *c, char *buf, size_t len);
