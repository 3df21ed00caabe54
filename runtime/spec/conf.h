/* The conf file front end of the spec language (/etc/kbox/NAME.conf, kbox.conf): the text
 * of one file, which the caller has read. Pure code. */
#pragma once

#include "set.h"

/* Read a conf file's text: "key = value" lines for container NAME, or the globals if
 * NAME is NULL. WHERE names the file in errors. Returns 0, or -ENOMEM. */
int spec_parse_conf(struct spec_set *set, const char *name, const char *text, const char *where);
