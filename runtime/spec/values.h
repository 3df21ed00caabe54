/* The values of the spec language (numbers, sizes, durations, addresses, signals, resource
 * limits, names, words, one-word choices) and the wording of a bad one, the same for every
 * key of every front end. Pure code. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How long the reason for a bad value may be, in the key parsers' err buffers. */
#define SPEC_ERRLEN 256

/* Write why a value is bad into err (SPEC_ERRLEN bytes); returns -EINVAL. */
int spec_bad_value(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The index of VAL among the N WORDS (NULL ones are skipped), or spec_bad_value's
 * "'VAL' is not WHAT". */
int spec_pick_word(const char *val, const char *const *words, size_t n, const char *what,
		   char *err);

/*
 * Numbers, the same for every key: decimal digits only (no sign, blank or base prefix;
 * "010" is 10). -EINVAL when S is not such a number, -ERANGE when it is above MAX: a value
 * is never wrapped. spec_parse_digits reads the digits at *p and moves *p past them.
 */
int spec_parse_uint(const char *s, unsigned long long max, unsigned long long *ret);
int spec_parse_digits(const char **p, unsigned long long max, unsigned long long *ret);
/* "1", "true", "yes" or "0", "false", "no"; -EINVAL otherwise. */
int spec_parse_bool(const char *s, bool *ret);
/* "64M", "1.5G", "512k", "2GiB", "100" (bytes) -> bytes, up to LLONG_MAX (-ERANGE past
 * it); units are powers of 1024 up to P. 0 is a size: the caller has its minimum. */
int spec_parse_size(const char *s, long long *ret);
/* Format bytes back as the shortest exact "64M"-style string. */
void spec_format_size(long long bytes, char *buf, int len);
/* "10s", "500ms", "1.5m", "2h", "30" (seconds) -> milliseconds (the nearest), a day at
 * most (-ERANGE past it); -EINVAL if not a duration. */
int spec_parse_duration(const char *s, unsigned *ret_ms);
/* "a.b.c.d/len" with len from min to max: -EINVAL if not that shape, -ERANGE for len. */
int spec_parse_cidr(const char *s, int min, int max, uint32_t *ret_addr, int *ret_prefix);
/* "SIGTERM", "TERM", "term" or "15" -> 15; -ERANGE for a number not from 1 to 64, -EINVAL
 * otherwise. */
int spec_parse_signal(const char *s);
/* "TERM" for 15, or NULL. */
const char *spec_signal_name(int sig);
/* "nofile" for RLIMIT_NOFILE: the NAME of rlimit_NAME ("?" if unknown). */
const char *spec_rlimit_name(int resource);
/* RLIMIT_NOFILE for "nofile"; -1 if NAME is not a resource limit. */
int spec_rlimit_from_name(const char *name);
#define SPEC_ID_MAX 4294967294ULL /* uid and gid: 4294967295 is (uid_t)-1 */
/* The longest user spec_parse_user writes: two names of 32, or two ids, and a ':'. */
#define SPEC_USER_MAX 80
/* uid[:gid] or name[:group] (a name starts with a letter or '_', at most 32 characters; an
 * id is up to SPEC_ID_MAX) into NORM in its plain form ("0100" as "100"); -EINVAL with the
 * reason in err. */
int spec_parse_user(const char *val, char norm[SPEC_USER_MAX], char *err);
/* Which namespace holds the sysctl NAME (its first N bytes): a network one (net.*), an ipc one
 * (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*), or none: written from a container,
 * the host's (appliance's) own value. Docker's and runc's rule. */
enum spec_sysctl_ns { SPEC_SYSCTL_HOST, SPEC_SYSCTL_NET, SPEC_SYSCTL_IPC };
enum spec_sysctl_ns spec_sysctl_ns(const char *name, size_t n);
#define SPEC_SYSCTL_NAMESPACED "net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*"
/* Container and image names: [A-Za-z0-9][A-Za-z0-9_-]*, at most 63 characters. */
bool spec_valid_name(const char *name);
/* A hostname: labels of letters, digits and hyphens. */
bool spec_valid_hostname(const char *h);
/* Split a command into words: white space separates, single or double quotes group, nothing
 * else is special. Returns 0, -EINVAL with a reason in err, or -ENOMEM. */
int spec_split_words(const char *s, char ***ret_words, char *err, int errlen);
