/* What the libFuzzer targets share: the input copied into a buffer of its own. */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* SIZE bytes of DATA in a malloc'd buffer (aligned, as a recv buffer is) with a NUL after
 * them, so that text parsers can take it as a string; NULL when out of memory. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1);

	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	copy[size] = '\0';
	return copy;
}

/* For a target whose first byte picks what it exercises: that byte in ret_pick, the rest
 * as fuzz_copy gives it, with its size in ret_size (unless NULL). NULL for an empty input
 * too. */
static inline char *fuzz_pick(const uint8_t *data, size_t size, uint8_t *ret_pick, size_t *ret_size)
{
	if (size < 1)
		return NULL;
	*ret_pick = data[0];
	if (ret_size)
		*ret_size = size - 1;
	return fuzz_copy(data + 1, size - 1);
}
