/* Container output: whole lines to the console as "NAME | line" (escaped, skipped and
 * counted when the console cannot keep up) and every line to its log file, rotated once at
 * kbox.log_max. It hears of starts and exits as one of the supervisor's observers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* After sup_init: open the console for container lines (non-blocking), route kbox's own
 * messages through the same writer, and follow the containers' starts and exits. MAX is
 * kbox.log_max (0 keeps the default of 1M). */
void output_init(long long max);
/* Does container I have its log file open (not lost to a full /run)? */
bool output_has_log(size_t i);
