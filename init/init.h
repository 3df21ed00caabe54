/* kbox as PID 1. */
#pragma once

_Noreturn void init_main(char **argv);
