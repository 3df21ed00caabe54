/* Splits a container's output stream into whole lines, so that lines from different
 * containers never interleave on the console. Pure code. */
#pragma once

#include <stddef.h>

/* Longer lines are split at this length. */
#define LINEBUF_MAX 1024

struct linebuf {
	size_t len;
	char buf[LINEBUF_MAX];
};

/* Called once per line, without its newline. */
typedef void linebuf_emit_fn(void *ctx, const char *line, size_t len);

void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_emit_fn *emit, void *ctx);
/* Emit what is left of an unfinished last line. */
void linebuf_flush(struct linebuf *lb, linebuf_emit_fn *emit, void *ctx);
