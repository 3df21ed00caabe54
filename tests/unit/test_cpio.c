/* The cpio list parser and the newc header. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../initramfs/cpio.h"
#include "../tap.h"

static int parse(const char *text, struct cpio_entry *e, char *err)
{
	static char line[512];

	free(e->links);
	e->links = NULL;
	snprintf(line, sizeof(line), "%s", text);
	return cpio_parse_line(line, e, err, 128);
}

int main(void)
{
	struct cpio_entry e = {0};
	char err[128], hdr[CPIO_HDR_LEN + 1];

	is_int(parse("dir /etc 755 0 0", &e, err), 1, "dir");
	is_int(e.type, CPIO_DIR, "type dir");
	is_int(e.mode, 0755, "octal mode");
	is_int(parse("file /bin/sh /bin/busybox 4755 1 2 /a /b", &e, err), 1, "file with links");
	is_str(e.source, "/bin/busybox", "source");
	is_int(e.mode, 04755, "setuid mode");
	is_int(e.uid, 1, "uid");
	is_int(e.gid, 2, "gid");
	is_int(e.nlinks, 2, "two more names");
	is_str(e.links[1], "/b", "second link");
	is_int(parse("slink /bin/ls /bin/busybox 777 0 0", &e, err), 1, "slink");
	is_str(e.source, "/bin/busybox", "link target");
	is_int(parse("nod /dev/console 600 0 0 c 5 1", &e, err), 1, "nod");
	is_int(e.dev_type, 'c', "char device");
	is_int(e.maj * 1000 + e.min, 5001, "5,1");
	is_int(parse("# comment", &e, err), 0, "comment");
	is_int(parse("   ", &e, err), 0, "blank");

	is_int(parse("pipe /p 644 0 0", &e, err), -EINVAL, "unknown type");
	is_str(err, "unknown entry type 'pipe'", "says which");
	is_int(parse("dir /etc 755 0", &e, err), -EINVAL, "too few fields");
	is_str(err, "'dir' wants 4 fields, got 3", "says how many");
	is_int(parse("dir etc 755 0 0", &e, err), -EINVAL, "relative name");
	is_int(parse("dir /etc 7558 0 0", &e, err), -EINVAL, "bad octal");
	is_int(parse("dir /etc 755 x 0", &e, err), -EINVAL, "bad uid");
	is_int(parse("nod /dev/x 600 0 0 p 1 1", &e, err), -EINVAL, "bad device type");
	is_int(parse("dir /etc 755 0 0 /extra", &e, err), -EINVAL, "extra field on a dir");

	cpio_header(hdr, 721, S_IFDIR | 0755, 0, 0, 2, 0, 0, 0, 0, 4);
	is_int(strlen(hdr), CPIO_HDR_LEN, "header length");
	is_str(hdr,
	       "070701000002D1000041ED0000000000000000000000020000000000000000000000000000000000000"
	       "00000000000000000040000000"
	       "0",
	       "header bytes");
	free(e.links);
	return done();
}
