/* The images on disk: the record beside each one (IMAGES/NAME.json), read and applied to a
 * spec before a start (PID 1's and kbox run's, through images_apply), and kbox images. */
#pragma once

#include <stddef.h>

#include "../runtime/spec/image.h"
#include "../runtime/spec/spec.h"

/* A record is a few kilobytes; labels and Env of a big image perhaps a few hundred. */
#define IMAGES_RECORD_MAX IMAGE_RECORD_MAX

/* Read and parse DIR/NAME.json into IC (freed by the caller, whatever the result): 0;
 * -ENOENT when there is none; else -errno with the reason, the file's path first, in err. */
int images_read_record(const char *dir, const char *name, struct image_config *ic, char *err,
		       size_t errlen);

/* The first of the N directories DIRS that holds the image NAME (a directory, or a link to
 * one, as kbox load makes them), or NULL. */
const char *images_find(const char *name, const char *const *dirs, size_t n);

/* Where DIR/NAME leads now: the directory of the tree and its record (kbox load's
 * generation, ".../.NAME.N"), in BUF; NULL (logged) when it leads out of DIR or to a tree
 * not named NAME; DIR itself when it is gone. A start
 * reads the record and mounts the tree from there: a load that swaps the link meanwhile
 * cannot pair one generation's record with another's tree. */
const char *images_resolve(const char *dir, const char *name, char *buf, size_t len);

/* Apply the record of S's image, found in DIR, to S (spec_apply_image): an absolute image
 * path, or a name without a record, has none. 0, or -errno with the reason in err
 * ("web: image 'x': /images/x.json: config.User: ..."). */
int images_apply(struct spec *s, const char *dir, char *err, size_t errlen);

/* kbox images: argv[1] is "images". Returns the exit status. */
int images_main(int argc, char **argv);
