/* The line splitter: whole lines, long lines split, partial lines held, binary kept. */
#include <stdlib.h>

#include "../../init/linebuf.h"
#include "../tap.h"

static char lines[16][LINEBUF_MAX + 1];
static size_t lens[16], nlines;

static void emit(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	memcpy(lines[nlines], line, len);
	lines[nlines][len] = '\0';
	lens[nlines++] = len;
}

static void reset(struct linebuf *lb)
{
	memset(lb, 0, sizeof(*lb));
	nlines = 0;
}

int main(void)
{
	struct linebuf lb;
	static char big[3 * LINEBUF_MAX];

	reset(&lb);
	linebuf_feed(&lb, "one\ntwo\n", 8, emit, NULL);
	is_int(nlines, 2, "two whole lines");
	is_str(lines[1], "two", "second line");

	reset(&lb);
	linebuf_feed(&lb, "par", 3, emit, NULL);
	is_int(nlines, 0, "a partial line is held");
	linebuf_feed(&lb, "tial\nnext", 9, emit, NULL);
	is_int(nlines, 1, "completed by the next chunk");
	is_str(lines[0], "partial", "joined");
	linebuf_flush(&lb, emit, NULL);
	is_str(lines[1], "next", "flush emits the rest");
	linebuf_flush(&lb, emit, NULL);
	is_int(nlines, 2, "a second flush emits nothing");

	reset(&lb);
	linebuf_feed(&lb, "\n\n", 2, emit, NULL);
	is_int(nlines, 2, "empty lines are lines");
	is_int(lens[0], 0, "of length 0");

	reset(&lb);
	memset(big, 'x', sizeof(big));
	big[LINEBUF_MAX + 10] = '\n';
	linebuf_feed(&lb, big, LINEBUF_MAX + 11, emit, NULL);
	is_int(nlines, 2, "a long line is split");
	is_int(lens[0], LINEBUF_MAX, "first piece is full");
	is_int(lens[1], 10, "the rest up to the newline");

	reset(&lb);
	big[LINEBUF_MAX] = '\n';
	linebuf_feed(&lb, big, LINEBUF_MAX + 1, emit, NULL);
	is_int(nlines, 1, "a line of exactly the maximum is one line");
	linebuf_flush(&lb, emit, NULL);
	is_int(nlines, 1, "and leaves nothing behind");

	reset(&lb);
	linebuf_feed(&lb, "a\0b\n", 4, emit, NULL);
	is_int(lens[0], 3, "a NUL byte is kept");

	/* Byte by byte gives the same lines as one chunk. */
	reset(&lb);
	for (const char *p = "x1\ny22\nz333\n"; *p; p++)
		linebuf_feed(&lb, p, 1, emit, NULL);
	is_int(nlines, 3, "byte by byte");
	is_str(lines[2], "z333", "third line");
	return done();
}
