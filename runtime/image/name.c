/* The default name of an image from its source (see name.h). */
#include "name.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../spec/values.h"

int img_default_name(const char *path, const char *tag, char *buf, size_t len)
{
	const char *base, *end;

	if (tag && *tag) {
		/* [registry/]path/repo[:tag][@digest]: a ':' after the last '/' starts the tag */
		end = tag + strcspn(tag, "@");
		base = tag;
		for (const char *p = tag; p < end; p++)
			if (*p == '/')
				base = p + 1;
		for (const char *p = base; p < end; p++)
			if (*p == ':') {
				end = p;
				break;
			}
	} else {
		const char *stop = path + strlen(path);

		while (stop > path && stop[-1] == '/')
			stop--;
		base = stop;
		while (base > path && base[-1] != '/')
			base--;
		for (end = base; end < stop && *end != '.'; end++)
			;
	}
	snprintf(buf, len, "%.*s", (int)(end - base), base);
	return (size_t)(end - base) < len && spec_valid_name(buf) ? 0 : -EINVAL;
}
