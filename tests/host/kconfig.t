#!/bin/bash
# kconfig/check: every line of the fragment must survive the merge.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$top/kconfig/check" "$top/kconfig/kbox.config" "$out/bzImage.config"
ok $? "the kernel we built holds every line of kconfig/kbox.config"
for opt in CONFIG_USER_NS CONFIG_OVERLAY_FS CONFIG_SECCOMP_FILTER CONFIG_NFT_MASQ CONFIG_VETH; do
	grep -qx "$opt=y" "$out/bzImage.config"
	ok $? "$opt=y is built in"
done
! grep -qx 'CONFIG_MODULES=y' "$out/bzImage.config"
ok $? "no loadable modules"

printf '# c\nCONFIG_A=y\nCONFIG_B=y\n' >"$tmp/frag"
printf 'CONFIG_A=y\n# CONFIG_B is not set\n' >"$tmp/config"
msg=$("$top/kconfig/check" "$tmp/frag" "$tmp/config" 2>&1)
is $? 1 "a dropped option fails the check"
is "$msg" "$tmp/frag:3: wanted 'CONFIG_B=y', merged config has '# CONFIG_B is not set'" \
	"and names the line and what the merge made of it"
printf 'CONFIG_A=y\n' >"$tmp/config"
msg=$("$top/kconfig/check" "$tmp/frag" "$tmp/config" 2>&1)
is "$msg" "$tmp/frag:3: wanted 'CONFIG_B=y', merged config has 'absent'" "an absent option"
printf 'CONFIG_A=y\nCONFIG_B=y\n' >"$tmp/config"
"$top/kconfig/check" "$tmp/frag" "$tmp/config"
ok $? "a config with every line passes"
done_testing
