/* kbox's command line, when it is not PID 1. */
#pragma once

int cli_main(int argc, char **argv);
