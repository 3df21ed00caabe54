/* Container output: whole lines to the console as "NAME | line" and to its log file,
 * rotated once at kbox.log_max. */
#pragma once

#include <stdint.h>

#include "ctr.h"

/* kbox.log_max; 0 keeps the default of 1M. */
void output_set_log_max(long long bytes);
/* Open /run/kbox/logs/NAME.log for appending, unless it is open from an earlier start. */
void output_open_log(struct ctr *c);
/* Read what its output pipe holds; at end of file flush the last partial line. */
void output_drain(struct ctr *c);
/* The epoll callback of the output pipe. */
void output_on_readable(struct watch *w, uint32_t events);
