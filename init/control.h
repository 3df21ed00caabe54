/* The control socket, /run/kbox/control.sock: the server in PID 1, the CLI's call. */
#pragma once

#include <stdbool.h>

#include "../lib/paths.h"

struct client;

/* Server side. Listen on KBOX_CONTROL_SOCK; failures are logged, PID 1 goes on without it. */
void control_start(void);
/* Serve one connected SOCK_SEQPACKET socket (non-blocking, CLOEXEC): what on_accept does. */
void control_client(int fd);
/* Send a client its exit code and close it. */
void control_reply(struct client *cl, int code);

/* Client side: send argv (argv[0] is the verb) and print the answer; returns the exit code. */
int control_call(int argc, char **argv, bool pass_stdio);
