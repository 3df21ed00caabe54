/* Splits a container's output stream into whole lines. */
#include "linebuf.h"

#include <string.h>

void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_emit_fn *emit, void *ctx)
{
	while (n) {
		const char *nl = memchr(data, '\n', n);
		size_t take = nl ? (size_t)(nl - data) : n;
		size_t room = LINEBUF_MAX - lb->len;

		if (take > room)
			take = room;
		/* A whole line with nothing buffered needs no copy. */
		if (lb->len == 0 && nl && take == (size_t)(nl - data)) {
			emit(ctx, data, take);
		} else {
			memcpy(lb->buf + lb->len, data, take);
			lb->len += take;
			if ((nl && take == (size_t)(nl - data)) || lb->len == LINEBUF_MAX) {
				emit(ctx, lb->buf, lb->len);
				lb->len = 0;
			}
		}
		if (nl && take == (size_t)(nl - data))
			take++; /* the newline itself */
		data += take;
		n -= take;
	}
}

void linebuf_flush(struct linebuf *lb, linebuf_emit_fn *emit, void *ctx)
{
	if (lb->len)
		emit(ctx, lb->buf, lb->len);
	lb->len = 0;
}
