/* PID 1's loop: signals, container output, start reports and timers, over one epoll. */
#pragma once

#include "../runtime/spec/spec.h"

/* Start every valid container of SET and supervise until shutdown. Never returns. */
_Noreturn void supervisor_run(struct spec_set *set);
