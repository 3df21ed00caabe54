/* A streaming reader of tar archives (POSIX ustar, pax extended headers, GNU long names and
 * base-256 numbers): image layers, oci-archive and docker-archive files. Pure code: bytes
 * come through a read callback, nothing touches the filesystem. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to len bytes into buf: returns the count (0 at the end of input) or -errno. */
typedef ssize_t (*tar_read_fn)(void *ctx, void *buf, size_t len);

enum tar_type {
	TAR_FILE,     /* '0' and '\0' (and '7', contiguous) */
	TAR_HARDLINK, /* '1': link is the target, a name in the same archive */
	TAR_SYMLINK,  /* '2' */
	TAR_CHAR,     /* '3' */
	TAR_BLOCK,    /* '4' */
	TAR_DIR,      /* '5', and a v7 '\0' whose name ends in '/' */
	TAR_FIFO,     /* '6' */
};

/*
 * Paths come as given: never empty and never with an embedded NUL, but not normalised
 * either ('..', a leading '/', "./" and doubled slashes are the caller's to refuse). Numbers
 * come checked: uid and gid fit 32 bits, size is below 2^63.
 */
struct tar_entry {
	char *path; /* as the archive spells it (GNU long name, pax path or prefix/name) */
	char *link; /* hard link or symlink target (possibly empty), else NULL */
	enum tar_type type;
	mode_t mode; /* the 12 permission bits (setuid, setgid, sticky, rwx) */
	uint32_t uid, gid;
	int64_t mtime;		       /* seconds (a pax fraction is dropped) */
	uint64_t size;		       /* of the data that follows (files only; 0 for the rest) */
	unsigned dev_major, dev_minor; /* devices only */
	unsigned nxattrs; /* pax SCHILY.xattr.* / LIBARCHIVE.xattr.* records: not carried */
	char *xattr;	  /* the first such attribute's name, for the report */
	uint64_t offset;  /* where the entry's first header starts, for messages */
};

/* What pax records say about an entry: the reader's own state. */
struct tar_pax {
	char *path, *link;
	uint64_t size;
	uint32_t uid, gid;
	int64_t mtime;
	unsigned set;	  /* which of them a record gave */
	unsigned cleared; /* which a record with an empty value sent back to the header's field */
	/* libarchive writes each attribute twice, as LIBARCHIVE.xattr.* and SCHILY.xattr.* */
	unsigned nschily, nlibarchive;
	char *xattr;
	bool xattr_schily;
};

struct tar_reader {
	tar_read_fn read;
	void *ctx;
	uint64_t pos;  /* bytes consumed */
	uint64_t left; /* data bytes of the current entry not yet read */
	uint64_t pad;  /* padding after them */
	bool end;      /* the end-of-archive blocks were seen */
	struct tar_entry cur;
	/* The reader's own state. */
	int error;		     /* once a call failed, every later one fails the same way */
	struct tar_pax global;	     /* 'g' headers: for every later entry */
	struct tar_pax local;	     /* 'x' headers: for the next entry */
	char *long_path, *long_link; /* GNU 'L' and 'K' */
	char name[257], linkname[101];
	unsigned char blk[512];
};

void tar_init(struct tar_reader *r, tar_read_fn read, void *ctx);
/* The next entry, after skipping what is left of the current one's data. Returns 1 with *e
 * filled (owned by the reader, valid until the next call), 0 at the end of the archive, or
 * -EINVAL / -EIO / -ENOMEM with the reason and the entry's offset in err. A truncated
 * archive (input ends before the two zero blocks, or inside a header or data) is -EINVAL
 * ("truncated"); one zero block and then the end of input is an end too. Data after the end
 * is not read. */
int tar_next(struct tar_reader *r, const struct tar_entry **e, char *err, size_t errlen);
/* Up to len bytes of the current entry's data: the count, 0 once it is all read, -errno. A
 * short input is -EINVAL with "truncated" in err. */
ssize_t tar_read(struct tar_reader *r, void *buf, size_t len, char *err, size_t errlen);
/* Frees what the reader holds; it may be called at any point, also after an error. */
void tar_free(struct tar_reader *r);
