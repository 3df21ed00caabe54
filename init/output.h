/* Container output: whole lines to the console as "NAME | line" (escaped, skipped and
 * counted when the console cannot keep up) and every line to its log file, rotated once at
 * kbox.log_max. */
#pragma once

#include <stdint.h>

#include "ctr.h"

/* kbox.log_max; 0 keeps the default of 1M. */
void output_set_log_max(long long bytes);
/* Open the console for container lines (non-blocking) and route kbox's own messages
 * through the same writer. */
void output_console_init(void);
/* Open /run/kbox/logs/NAME.log for appending, unless it is open from an earlier start. */
void output_open_log(struct ctr *c);
/* Watch FD, the read end of a new start's output pipe (what is left of an earlier
 * start's pipe is read and closed first). */
void output_attach(struct ctr *c, int fd);
/* At its exit: read what its pipe holds, at most 64 KiB; at end of file flush the last
 * partial line. The rest, and a writer that lives on, the loop reads later. */
void output_drain(struct ctr *c);
/* The epoll callback of the output pipe: one read per event. */
void output_on_readable(struct watch *w, uint32_t events);
