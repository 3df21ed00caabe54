/* The line splitter: whole lines, long lines split, partial lines held, binary kept; and
 * the console's escaping (str_escape): no control byte reaches the console raw. */
#include <stdbool.h>
#include <stdlib.h>

#include "../../init/linebuf.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
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

static const char *esc(const char *s, size_t n, size_t cap)
{
	static char buf[256];

	str_escape(buf, cap, s, n);
	return buf;
}

#define E(s, cap) esc(s, sizeof(s) - 1, cap)

static int escapes(void)
{
	char all[256], buf[1100];
	bool raw = false;

	is_str(E("plain text, tab\tok", 256), "plain text, tab\tok", "text and tab pass");
	is_str(E("a\rkbox: forged", 256), "a\\x0dkbox: forged", "CR is \\x0d");
	is_str(E("\x1b[2J\a", 256), "\\x1b[2J\\x07", "ESC and BEL");
	is_str(E("nul\0del\x7f", 256), "nul\\x00del\\x7f", "NUL and DEL");
	is_str(E("\n", 256), "\\x0a", "a newline inside a message");
	is_str(E("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", 256),
	       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", "UTF-8 passes");
	is_str(E("\xc2\x9b"
		 "2J",
		 256),
	       "\\xc2\\x9b2J", "C1 CSI (U+009B) is escaped");
	is_str(E("\x9b"
		 "2J",
		 256),
	       "\\x9b2J", "a lone 8-bit CSI is escaped");
	is_str(E("\xc0\x9b", 256), "\\xc0\\x9b", "an overlong form is escaped");
	is_str(E("\xe0\x80\x9b", 256), "\\xe0\\x80\\x9b", "an overlong ESC is escaped");
	is_str(E("\xed\xa0\x80", 256), "\\xed\\xa0\\x80", "a surrogate is escaped");
	is_str(E("\xe2\x82", 256), "\\xe2\\x82", "a cut character is escaped");
	is_str(E("\xf4\x90\x80\x80", 256), "\\xf4\\x90\\x80\\x80", "beyond U+10FFFF");
	is_str(E("ab\x1b", 6), "ab", "only whole escapes fit");
	is_str(E("abc\xe2\x82\xac", 6), "abc", "only whole characters fit");
	is_int(str_escape(buf, 1, "x", 1), 0, "a buffer of one byte holds the NUL only");

	/* Every byte alone: nothing below 0x20 but tab, nor 0x7f-0xff, comes out raw. */
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	str_escape(buf, sizeof(buf), all, 256);
	for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
		raw |= (*p < 0x20 && *p != '\t') || *p >= 0x7f;
	ok(!raw, "no byte of 0..255 alone reaches the output raw");
	is_int(strlen(buf), 0x5f + 1 + (256 - 0x5f - 1) * 4, "each control byte takes 4 bytes");
	return done();
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

	/* A line that ends in CR (as from a DOS file) keeps it: the console shows it. */
	reset(&lb);
	linebuf_feed(&lb, "dos\r\n", 5, emit, NULL);
	is_int(lens[0], 4, "a CR before the newline stays in the line");
	return escapes();
}
