/* The global keys of the spec language (kbox.KEY on the command line, KEY in kbox.conf): each
 * one's value parser, and their table. */
#include "globals.h"

#include <errno.h>
#include <string.h>

#include "../../lib/blkid.h"
#include "../../lib/util.h"
#include "../net/ipam.h"
#include "keys.h"

static int apply_global_hostname(struct spec_set *set, const char *val, char *err)
{
	if (!spec_valid_hostname(val))
		return spec_bad_value(err, "'%s' is not a valid hostname", val);
	return spec_set_str(&set->hostname, val);
}

static int apply_global_exit(struct spec_set *set, const char *val, char *err)
{
	static const char *const words[] = {[SPEC_EXIT_STAY] = "stay",
					    [SPEC_EXIT_POWEROFF] = "poweroff",
					    [SPEC_EXIT_REBOOT] = "reboot"};
	int i = spec_pick_word(val, words, ARRAY_SIZE(words), "poweroff, reboot or stay", err);

	if (i >= 0)
		set->exit = i;
	return i < 0 ? i : 0;
}

static int apply_global_shell(struct spec_set *set, const char *val, char *err)
{
	if (spec_parse_bool(val, &set->shell) < 0)
		return spec_bad_value(err, "'%s' is not 1 or 0", val);
	return 0;
}

static int apply_global_log_max(struct spec_set *set, const char *val, char *err)
{
	int r = spec_parse_size(val, &set->log_max);

	if (r == -ERANGE)
		return spec_bad_value(err, "'%s' is out of range (4k..9223372036854775807)", val);
	if (r < 0 || set->log_max < 4096)
		return spec_bad_value(err, "'%s' is not a size of 4k or more", val);
	return 0;
}

static int apply_global_subnet(struct spec_set *set, const char *val, char *err)
{
	uint32_t addr;
	int prefix, r = spec_parse_cidr(val, 8, 29, &addr, &prefix);

	if (r == -ERANGE)
		return spec_bad_value(err, "'%s': '%s' is out of range (8..29)", val,
				      strchr(val, '/') + 1);
	if (r < 0)
		return spec_bad_value(err, "'%s' is not a subnet like 10.88.0.0/16", val);
	return spec_set_str(&set->subnet, val);
}

static int apply_global_uplink(struct spec_set *set, const char *val, char *err)
{
	uint32_t addr;
	int prefix;

	if (strcmp(val, "none") && strcmp(val, "dhcp") &&
	    (ipam_parse_uplink(val, &addr, &prefix, &addr) < 0 || prefix < 1))
		return spec_bad_value(err,
				      "'%s' is not none, dhcp or ADDR/LEN,GATEWAY like "
				      "10.0.2.15/24,10.0.2.2",
				      val);
	return spec_set_str(&set->uplink, val);
}

static int apply_global_dns(struct spec_set *set, const char *val, char *err)
{
	uint32_t addr;

	if (ipam_parse_addr(val, &addr) < 0)
		return spec_bad_value(err, "'%s' is not an IPv4 address", val);
	return spec_set_str(&set->dns, val);
}

static int apply_global_data(struct spec_set *set, const char *val, char *err)
{
	struct blkid_want want;

	if (blkid_parse_want(val, &want, err, SPEC_ERRLEN) < 0)
		return -EINVAL;
	return spec_set_str(&set->data, val);
}

/* 0 would be the default's mark: the shortest wait is 1ms (a device that is there). */
static int apply_global_data_timeout(struct spec_set *set, const char *val, char *err)
{
	unsigned ms;
	int r = spec_parse_duration(val, &ms);

	/* At most 10 minutes: PID 1 starts no container while it waits for the disk. */
	if (r == -ERANGE || (r == 0 && ms > 10 * 60 * 1000))
		return spec_bad_value(err, "'%s' is out of range (1ms..10m)", val);
	if (r < 0 || !ms)
		return spec_bad_value(err, "'%s' is not a duration of 1ms or more (10s, 500ms)",
				      val);
	set->data_timeout_ms = ms;
	return 0;
}

/* In SG_* order: the index is the key's id. */
static const struct {
	const char *name;
	int (*apply)(struct spec_set *set, const char *val, char *err);
} global_keys[SG_COUNT] = {
	[SG_HOSTNAME] = {"hostname", apply_global_hostname},
	[SG_EXIT] = {"exit", apply_global_exit},
	[SG_SHELL] = {"shell", apply_global_shell},
	[SG_LOG_MAX] = {"log_max", apply_global_log_max},
	[SG_SUBNET] = {"subnet", apply_global_subnet},
	[SG_UPLINK] = {"uplink", apply_global_uplink},
	[SG_DNS] = {"dns", apply_global_dns},
	[SG_DATA] = {"data", apply_global_data},
	[SG_DATA_TIMEOUT] = {"data_timeout", apply_global_data_timeout},
};

int spec_global_key_find(const char *key)
{
	for (int id = 0; id < SG_COUNT; id++)
		if (strcmp(global_keys[id].name, key) == 0)
			return id;
	return -1;
}

int spec_global_key_apply(struct spec_set *set, int id, const char *val, char *err)
{
	return global_keys[id].apply(set, val, err);
}
