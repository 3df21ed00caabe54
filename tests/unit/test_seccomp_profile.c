/* seccomp=FILE profiles: the format and its errors. */
#include <errno.h>

#include "../../runtime/spec/seccomp_profile.h"
#include "../tap.h"

int main(void)
{
	struct seccomp_profile p;
	char err[256];

	is_int(seccomp_profile_parse("# strict\ndefault deny\nallow read write  exit_group\n"
				     "deny mkdir # no new dirs\n\n",
				     "/p", &p, err, sizeof(err)),
	       0, "a profile parses");
	ok(p.default_deny, "default deny");
	is_int(p.nrules, 4, "four rules");
	is_str(p.rules[2].name, "exit_group", "names after allow");
	ok(p.rules[0].allow && !p.rules[3].allow, "allow and deny");
	is_int(p.rules[3].line, 4, "rules know their line");
	seccomp_profile_free(&p);

	is_int(seccomp_profile_parse("", "/p", &p, err, sizeof(err)), 0, "an empty profile");
	ok(!p.default_deny && p.nrules == 0, "allows everything");
	seccomp_profile_free(&p);

	static const struct {
		const char *text, *error;
	} bad[] = {
		{"default maybe\n", "/p:1: 'default' takes allow or deny"},
		{"default allow deny\n", "/p:1: 'default' takes allow or deny"},
		{"\npermit read\n", "/p:2: 'permit' is not default, allow or deny"},
		{"deny\n", "/p:1: no system call after 'deny'"},
		{"allow read Write\n", "/p:1: 'Write' is not a system call name"},
		{"allow read;\n", "/p:1: 'read;' is not a system call name"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(seccomp_profile_parse(bad[i].text, "/p", &p, err, sizeof(err)), -EINVAL,
		       "refused: %s", bad[i].text);
		is_str(err, bad[i].error, "with the line and the reason");
	}
	return done();
}
