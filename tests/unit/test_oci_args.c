/* kbox oci's ids and signals: runc's rule under attack, every way a signal is written. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../../init/oci_args.h"
#include "../tap.h"

int main(void)
{
	static const char *const bad[] = {
		"",	 ".",	     "..",  "../x", "a/b", "/etc",  "a\nb", "a b",
		"x\x01", "\xc3\xa9", "a:b", "a\\b", "*",   "$(id)", NULL,
	};
	static const char *const good[] = {"a", "A-b_c.d+e", "...", ".a", "a..", "0", "-rf", NULL};
	char *id = malloc(OCI_ID_MAX + 2);

	for (int i = 0; bad[i]; i++) {
		char shown[32];
		size_t k = 0;

		/* The description stays one TAP line: control bytes shown as '?'. */
		for (const char *p = bad[i]; *p && k < sizeof(shown) - 1; p++)
			shown[k++] = (unsigned char)*p < 0x20 ? '?' : *p;
		shown[k] = '\0';
		ok(oci_id_check(bad[i]) != NULL, "id '%s' refused", shown);
	}
	for (int i = 0; good[i]; i++)
		is_str(oci_id_check(good[i]), NULL, "id '%s' taken", good[i]);
	memset(id, 'a', OCI_ID_MAX);
	id[OCI_ID_MAX] = '\0';
	is_str(oci_id_check(id), NULL, "an id of 1024 bytes is taken");
	id[OCI_ID_MAX] = 'a';
	id[OCI_ID_MAX + 1] = '\0';
	is_str(oci_id_check(id), "longer than 1024 bytes", "one of 1025 is not");
	is_str(oci_id_check(""), "cannot be empty", "the empty id's reason");
	free(id);

	is_int(oci_signal("KILL"), SIGKILL, "KILL");
	is_int(oci_signal("SIGKILL"), SIGKILL, "SIGKILL");
	is_int(oci_signal("sigterm"), SIGTERM, "sigterm, any case");
	is_int(oci_signal("9"), 9, "a number");
	is_int(oci_signal("15"), SIGTERM, "15");
	is_int(oci_signal("64"), 64, "64, the last");
	is_int(oci_signal("SIGRTMIN"), 34, "SIGRTMIN is 34, as runc's table says");
	is_int(oci_signal("RTMIN+3"), 37, "RTMIN+3");
	is_int(oci_signal("SIGRTMAX-2"), 62, "SIGRTMAX-2");
	is_int(oci_signal("SIGRTMAX"), 64, "SIGRTMAX");
	static const char *const nosig[] = {
		"0",	    "65",      "-9",	     "+9",
		" 9",	    "9 ",      "4294967305", "18446744073709551625",
		"",	    "SIG",     "SIGFOO",     "KILLX",
		"RTMIN+31", "RTMIN-1", "RTMAX+1",    "RTMIN+",
		"9x",	    NULL,
	};
	for (int i = 0; nosig[i]; i++)
		is_int(oci_signal(nosig[i]), -1, "'%s' is not a signal", nosig[i]);

	/* --preserve-fds: a count, never wrapped (strtoul takes "-1" as 2^64-1). */
	static const char *const nofds[] = {
		"-1",	   "+1", " 1",	"1 ",	      "0x10",
		"",	   "x",	 "1e3", "4294967296", "18446744073709551617",
		"1048577", NULL};
	unsigned n = 7;

	for (int i = 0; nofds[i]; i++)
		ok(oci_preserve_fds_parse(nofds[i], &n) != NULL && n == 7,
		   "--preserve-fds '%s' refused", nofds[i]);
	is_str(oci_preserve_fds_parse("-1", &n), "is not a count of fds", "-1's reason");
	is_str(oci_preserve_fds_parse("4294967296", &n), "is more fds than a process may have open",
	       "2^32's reason");
	ok(!oci_preserve_fds_parse("0", &n) && n == 0, "0");
	ok(!oci_preserve_fds_parse("007", &n) && n == 7, "007 is 7");
	ok(!oci_preserve_fds_parse("1048576", &n) && n == 1 << 20, "2^20, the kernel's ceiling");
	return done();
}
