/* The name an image gets from its source when none is given (kbox load SOURCE). Pure code. */
#pragma once

#include <stddef.h>

/*
 * From a source's PATH and TAG (img_source_split's): the tag's repository base
 * ("localhost/web:1" and "web@sha256:..." are web), else the file's or directory's base
 * name up to its first '.' ("/srv/kweb.oci-archive.tar" is kweb). 0 with the name in BUF,
 * or -EINVAL when that is no image name (spec_valid_name), with it in BUF all the same.
 */
int img_default_name(const char *path, const char *tag, char *buf, size_t len);
