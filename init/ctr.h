/* The supervisor's view of a container, shared with the control socket's server. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../runtime/spec/spec.h"
#include "linebuf.h"
#include "loop.h"

struct client;

#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

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
	enum ctr_state state;
	pid_t pid;
	int status;
	bool cgroup;	    /* the leaf still exists */
	long oom_kills;	    /* from memory.events when it exited */
	struct watch start; /* the child's start report */
	struct watch out;   /* its stdout and stderr */
	struct watch timer; /* restart backoff, or the stop timeout */
	struct linebuf lb;
	unsigned seq;	   /* start order: shutdown stops the latest first */
	bool ever_started; /* its payload ran at least once: after= is satisfied */
	bool stopping;	   /* its stop signal was sent: no restart */
	bool killed;	   /* its cgroup was killed after stop_timeout */
	bool stuck;	   /* still there long after the kill (D state): shutdown goes on */
	unsigned restarts;
	unsigned backoff_ms;	/* the next restart's delay */
	uint64_t started_ms;	/* CLOCK_MONOTONIC at the last start */
	const char *why_failed; /* set when it never started */
	int log_fd;		/* /run/kbox/logs/NAME.log, or -1 */
	long long log_size;
	/* Lines the console could not take, not yet said. */
	unsigned long console_skipped;
	struct client *waiter; /* kbox stop or restart, answered when it has exited */
	bool start_after_stop; /* kbox restart */
	uint32_t addr;	       /* net=bridge: its address while it runs or restarts, or 0 */
	uint32_t addr_hint;    /* the address it had before it stopped */
};

/* The supervisor's side, for the control socket. */
size_t sup_count(void);
struct ctr *sup_at(size_t i);
struct ctr *sup_find(const char *name);
bool ctr_alive(const struct ctr *c);
const char *ctr_state_name(enum ctr_state state);
/* Start a container that is not running: 0, or -errno after logging. */
int sup_start(struct ctr *c);
/* Its stop signal, then after stop_timeout the cgroup is killed. */
void sup_stop(struct ctr *c);
/* A container that is waiting to start or to restart does not; true if it was. */
bool sup_cancel(struct ctr *c);
/* Shutdown has begun: nothing starts any more. */
bool sup_shutting_down(void);
/* As if PID 1 got the signal for CMD (RB_POWER_OFF, RB_AUTOBOOT). */
void sup_shutdown(int cmd, const char *why);
