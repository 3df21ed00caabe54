/* The gen_init_cpio-style list of an initramfs and the newc header: pure code for mkcpio. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#define CPIO_HDR_LEN 110

enum cpio_type { CPIO_DIR, CPIO_FILE, CPIO_SLINK, CPIO_NOD };

/*
 * One list line, one of:
 *   dir   NAME MODE UID GID
 *   file  NAME SOURCE MODE UID GID [LINK...]
 *   slink NAME TARGET MODE UID GID
 *   nod   NAME MODE UID GID c|b MAJOR MINOR
 * Blank lines and '#' comments are skipped. Names are absolute paths in the archive.
 */
struct cpio_entry {
	enum cpio_type type;
	char *name;
	char *source; /* file: the host path; slink: the target */
	mode_t mode;  /* permission bits only */
	unsigned uid, gid;
	char dev_type; /* 'c' or 'b' */
	unsigned maj, min;
	char **links; /* file: more names for the same inode */
	size_t nlinks;
};

/* Parse LINE in place (the entry points into it). Returns 1 for an entry, 0 for nothing
 * to do, -EINVAL with a reason in err, -ENOMEM. The caller frees e->links. */
int cpio_parse_line(char *line, struct cpio_entry *e, char *err, size_t errlen);

/* Format a newc header. mode includes the file type bits. */
void cpio_header(char out[CPIO_HDR_LEN + 1], unsigned ino, mode_t mode, unsigned uid, unsigned gid,
		 unsigned nlink, unsigned long mtime, unsigned long size, unsigned rmaj,
		 unsigned rmin, size_t namesize);
