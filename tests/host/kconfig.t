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
# qemu/run boots out/vmlinux at its PVH entry: an ELF kernel with the Xen PVH note in it.
grep -qx 'CONFIG_PVH=y' "$out/bzImage.config"
ok $? "CONFIG_PVH=y: the kernel has a PVH entry point"
[ "$(od -An -tx1 -N4 "$out/vmlinux" | tr -d ' ')" = 7f454c46 ]
ok $? "out/vmlinux is an ELF file"
readelf -n "$out/vmlinux" 2>/dev/null | grep -q 'Xen.*0x00000012'
ok $? "with the PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY, type 18)"

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
