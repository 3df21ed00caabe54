/* libFuzzer target: seccomp=FILE profiles. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "../../runtime/spec/seccomp_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_profile p = {0};
	char err[256], *text = fuzz_copy(data, size);

	if (!text)
		return 0;
	if (seccomp_profile_parse(text, "fuzz", &p, err, sizeof(err)) == 0)
		seccomp_profile_free(&p);
	free(text);
	return 0;
}
