/* SHA-256 (FIPS 180-4), for the digests of image blobs and layers. Pure code. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed */
	uint8_t buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_final_hex(struct sha256 *c, char hex[SHA256_HEX_LEN + 1]);
