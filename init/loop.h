/* PID 1's event loop: watches (an fd and a callback), timers, and frees deferred to the
 * end of an epoll batch, so that no callback runs on what an earlier one closed or freed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A watch lives in the object it serves: its callback gets the object back with this. */
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

struct watch {
	int fd;
	void (*fn)(struct watch *w, uint32_t events);
};

/* The epoll instance; 0 or -errno. */
int loop_init(void);
/* Watch FD for EVENTS (EPOLLIN by watch_add); W must live until watch_close. */
void watch_add(struct watch *w, int fd, void (*fn)(struct watch *, uint32_t));
void watch_add_events(struct watch *w, int fd, uint32_t events,
		      void (*fn)(struct watch *, uint32_t));
/* Change what W waits for (0 waits for nothing but errors). */
void watch_modify(struct watch *w, uint32_t events);
/* Stop watching and return the fd, still open (-1 if there was none). */
int watch_detach(struct watch *w);
/* Stop watching and close the fd. Either way, events already fetched for W are dropped. */
void watch_close(struct watch *w);
/* A timerfd as W, disarmed; 0 or -errno. */
int timer_add(struct watch *w, void (*fn)(struct watch *, uint32_t));
/* Fire once in MS milliseconds (0: at once); timer_disarm calls it off. */
void timer_arm(struct watch *w, unsigned ms);
void timer_disarm(struct watch *w);
/* free(P) once the current batch of events is done (at once outside a batch is never). */
void loop_defer_free(void *p);
/* Call FN before every wait for events: work batched over the callbacks of a batch (at
 * most 4 of them). */
void loop_before_wait(void (*fn)(void));
/* Wait up to TIMEOUT_MS (-1: forever) for one batch of events and dispatch it. */
void loop_once(int timeout_ms);
/* CLOCK_MONOTONIC in milliseconds. */
uint64_t now_ms(void);
