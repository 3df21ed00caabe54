# kbox: build, test and boot the appliance.  `make help` lists the targets.

OUT    ?= out
HOSTCC ?= cc
MUSLCC ?= musl-gcc
export KBOX_CACHE ?= $(HOME)/.cache/kbox
export KBOX_OUT := $(abspath $(OUT))

WARN := -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-sign-compare -Wno-unused-parameter
INC  := -isystem $(OUT)/include -isystem $(OUT)/libseccomp/include -isystem $(OUT)/jansson/include

KBOX_CFLAGS  := -std=gnu11 -Os $(WARN) $(INC) -static -ffunction-sections -fdata-sections -MMD -MP
KBOX_LDFLAGS := -static -Wl,--gc-sections -s
HOST_CFLAGS  := -std=gnu11 -isystem $(OUT)/jansson/include -O1 -g $(WARN) -fsanitize=address,undefined -fno-omit-frame-pointer -MMD -MP

KBOX_SRCS := $(wildcard lib/*.c runtime/*.c runtime/spec/*.c runtime/net/*.c runtime/image/*.c init/*.c) initramfs/cpio.c
KBOX_HDRS := $(wildcard lib/*.h runtime/*.h runtime/spec/*.h runtime/net/*.h runtime/image/*.h init/*.h)
KBOX_OBJS := $(KBOX_SRCS:%.c=$(OUT)/obj/%.o)
SECCOMP_A := $(OUT)/libseccomp/lib/libseccomp.a
# jansson, for musl (kbox) and for the host (unit tests, fuzzers): see mk/jansson.
JANSSON_A := $(OUT)/jansson/lib/libjansson.a
JANSSON_HOST := $(OUT)/jansson/host/libjansson.a
# The data disk's mke2fs and e2fsck, static for musl: see mk/e2fsprogs. The touch keeps make
# from asking again when the cached build is older than mk/e2fsprogs.
E2FSPROGS := $(OUT)/e2fsprogs/sbin/mke2fs $(OUT)/e2fsprogs/sbin/e2fsck

# Pure code, unit-tested on the host under ASan and UBSan.
# Everything of runtime/spec/ and runtime/net/ but the link setup (net.c), which acts.
# Of runtime/image/, the parsers (tar, manifests, the layered tree, sha256), not the importer.
IMAGE_PURE := $(filter-out runtime/image/import.c runtime/image/source.c runtime/image/source_dir.c runtime/image/emit.c runtime/image/emit_dir.c,$(wildcard runtime/image/*.c))
PURE_SRCS  := $(wildcard runtime/spec/*.c) runtime/dev_bpf.c $(filter-out runtime/net/net.c,$(wildcard runtime/net/*.c)) $(IMAGE_PURE) lib/util.c lib/blkid.c init/linebuf.c initramfs/cpio.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(wildcard tests/unit/test_*.c))
# libFuzzer targets over the same pure code; their corpora live in tests/fuzz/corpus/NAME.
FUZZERS    := $(patsubst tests/fuzz/fuzz_%.c,$(OUT)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS := -std=gnu11 -isystem $(OUT)/jansson/include -O1 -g -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60

PROVE := prove --exec '' --timer

.PHONY: all deps kbox kernel initramfs test unit host-test qemu-test run fuzz bench clean distclean fmt lint help

all: kbox kernel initramfs

help:
	@echo 'make            build kbox, the kernel and the initramfs (into $(OUT)/)'
	@echo 'make run        boot the appliance in QEMU with the demo containers'
	@echo 'make test       unit, host and QEMU tests (TAP, through prove)'
	@echo 'make unit | host-test | qemu-test    one group of tests'
	@echo 'make fuzz       run each libFuzzer target for FUZZ_SECONDS (default 60) on its corpus'
	@echo 'make bench      kbox against crun, runc, bwrap, tini, catatonit, dumb-init (bench/results/)'
	@echo 'make deps       install the Debian packages (every other target does this first)'
	@echo 'make fmt | lint | clean | distclean (also drops $(KBOX_CACHE))'

deps:
	@mk/deps

kbox: $(OUT)/kbox $(OUT)/kbox-runc
kernel: $(OUT)/bzImage $(OUT)/vmlinux
initramfs: $(OUT)/initramfs.cpio $(OUT)/demo.cpio

$(OUT)/include: | deps
	@mk/musl-include $@

# The musl libseccomp lives in the cache; out/libseccomp points at the right build.
$(SECCOMP_A): mk/libseccomp | $(OUT)/include deps
	@ln -sfn "$$(mk/libseccomp $(abspath $(OUT)/include))" $(OUT)/libseccomp

$(JANSSON_A) $(JANSSON_HOST) &: mk/jansson | $(OUT)/include deps
	@ln -sfn "$$(mk/jansson $(abspath $(OUT)/include))" $(OUT)/jansson

$(E2FSPROGS) &: mk/e2fsprogs | $(OUT)/include deps
	@ln -sfn "$$(mk/e2fsprogs $(abspath $(OUT)/include))" $(OUT)/e2fsprogs
	@touch $(E2FSPROGS)

$(OUT)/obj/%.o: %.c | $(SECCOMP_A) $(JANSSON_A)
	@mkdir -p $(@D)
	$(MUSLCC) $(KBOX_CFLAGS) -c -o $@ $<

$(OUT)/kbox: $(KBOX_OBJS) $(SECCOMP_A) $(JANSSON_A)
	$(MUSLCC) $(KBOX_LDFLAGS) -o $@ $(KBOX_OBJS) $(SECCOMP_A) $(JANSSON_A)

# The name an engine calls the OCI runtime by (podman --runtime, containerd's BinaryName):
# kbox picks runc's command line by the name it is called by.
$(OUT)/kbox-runc: $(OUT)/kbox
	ln -sfn kbox $@

$(OUT)/mkcpio: initramfs/mkcpio.c initramfs/cpio.c initramfs/cpio.h | deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -o $@ initramfs/mkcpio.c initramfs/cpio.c

# The busybox image's ping: over ICMP datagram sockets, without CAP_NET_RAW.
$(OUT)/ping: initramfs/ping.c | $(OUT)/include
	$(MUSLCC) -std=gnu11 -Os $(WARN) $(INC) -static -s -o $@ $<

# A static program the QEMU tests run inside containers to report what they see; it talks
# to the control socket through kbox's own client side.
$(OUT)/probe: tests/probe/probe.c lib/ctl.c lib/ctl.h lib/paths.h | $(SECCOMP_A)
	$(MUSLCC) -std=gnu11 -Os $(WARN) $(INC) -static -s -o $@ $< lib/ctl.c

# The power-loss proof's record writer and checker (tests/qemu/powerloss.t), in containers.
$(OUT)/records: tests/probe/records.c | $(OUT)/include
	$(MUSLCC) -std=gnu11 -Os $(WARN) -static -s -o $@ $<

# vmlinux, the ELF kernel inside the bzImage, is what qemu/run boots (at its PVH entry).
$(OUT)/bzImage $(OUT)/vmlinux &: kconfig/kbox.config kconfig/build kconfig/check | deps
	@mkdir -p $(@D)
	kconfig/build $(OUT)/bzImage

CPIO_DEPS := $(OUT)/kbox $(OUT)/mkcpio $(OUT)/ping $(E2FSPROGS) initramfs/build initramfs/passwd initramfs/group

$(OUT)/initramfs.cpio: $(CPIO_DEPS)
	initramfs/build -o $@

# The demo's web server is an image built as users build theirs: podman (offline, as root)
# from initramfs/demo/web, saved as an oci-archive by tests/images/mkimages (cached under
# $(KBOX_CACHE), keyed by its inputs). The touch keeps make from asking again when the
# cached result is older than a checkout of the same inputs.
DEMO_WEB := $(OUT)/images/demo-web.oci-archive.tar
$(DEMO_WEB): tests/images/mkimages $(wildcard tests/images/kweb/* initramfs/demo/web/*) initramfs/passwd initramfs/group | deps
	tests/images/mkimages $(OUT)/images
	@touch $@

$(OUT)/demo.cpio: $(CPIO_DEPS) $(wildcard initramfs/demo/*.conf) $(DEMO_WEB)
	initramfs/build --conf initramfs/demo --image web=oci-archive:$(DEMO_WEB) -o $@

# ---- tests ----

$(OUT)/tests/test_%: tests/unit/test_%.c tests/tap.h $(PURE_SRCS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) $(JANSSON_HOST)

# kbox-init.t's terminal driver and signal prober.
$(OUT)/tests/ptydrive $(OUT)/tests/initprobe: $(OUT)/tests/%: tests/host/%.c | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $<

# oci-cgroup.t's driver of runtime/cgroup_oci.c, under the sanitizers, acting as root.
CGODRIVE_SRCS := runtime/cgroup_oci.c runtime/cgroup_oci_res.c runtime/cgroup_oci_huge.c runtime/devices.c runtime/dev_bpf.c runtime/spec/cgroup_values.c lib/util.c lib/log.c
$(OUT)/tests/cgodrive: tests/host/cgodrive.c $(CGODRIVE_SRCS) | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(CGODRIVE_SRCS)

# The same, static for musl, for the guest's cgroup v2 (tests/qemu/oci-cgroup.t).
$(OUT)/tests/cgodrive-musl: tests/host/cgodrive.c $(CGODRIVE_SRCS) | $(OUT)/include
	@mkdir -p $(@D)
	$(MUSLCC) -std=gnu11 -Os $(WARN) $(INC) -static -s -o $@ $< $(CGODRIVE_SRCS)

# ociproc.t's driver: kbox's own objects (but main) behind a main that makes a bundle's spec.
$(OUT)/tests/ociproc: tests/host/ociproc.c $(filter-out $(OUT)/obj/init/main.o,$(KBOX_OBJS)) $(SECCOMP_A) $(JANSSON_A)
	@mkdir -p $(@D)
	$(MUSLCC) -std=gnu11 -Os $(WARN) $(INC) -static -o $@ $^

# The line splitter's test covers the console's escaping too, which lives in lib/log.c.
$(OUT)/tests/test_linebuf: tests/unit/test_linebuf.c tests/tap.h $(PURE_SRCS) lib/log.c lib/log.h | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) lib/log.c $(JANSSON_HOST)

unit: $(UNIT_TESTS)
	$(PROVE) $(UNIT_TESTS)

# kbox linked dynamically against glibc and Debian's libseccomp, for valgrind's memcheck only
# (it cannot see musl's malloc in a static binary). Never installed anywhere.
$(OUT)/kbox-host: $(KBOX_SRCS) $(KBOX_HDRS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g $(WARN) -isystem $(OUT)/jansson/include -DKBOX_MEMCHECK -o $@ $(KBOX_SRCS) -lseccomp $(JANSSON_HOST)

# Host helpers for tests/host/*.t: pure code under the sanitizers, acting as root.
$(OUT)/tests/nftcheck: tests/host/nftcheck.c $(PURE_SRCS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) $(JANSSON_HOST)

$(OUT)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(PURE_SRCS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(PURE_SRCS) $(JANSSON_HOST)

# oci-rootfs.t's driver: a bundle's config.json parsed and its root set up by kbox's own objects.
$(OUT)/tests/ocimount: tests/host/ocimount.c $(filter-out $(OUT)/obj/init/main.o,$(KBOX_OBJS)) $(SECCOMP_A) $(JANSSON_A)
	@mkdir -p $(@D)
	$(MUSLCC) -std=gnu11 -Os $(WARN) $(INC) -static -o $@ $^

# The /etc/kbox loader only opens and reads a directory: tested and fuzzed beside the pure code.
CONFDIR_SRCS := init/confdir.c
$(OUT)/tests/test_confdir: tests/unit/test_confdir.c tests/tap.h $(CONFDIR_SRCS) $(PURE_SRCS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(CONFDIR_SRCS) $(PURE_SRCS) $(JANSSON_HOST)

$(OUT)/fuzz/fuzz_confdir: tests/fuzz/fuzz_confdir.c $(CONFDIR_SRCS) $(PURE_SRCS) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(CONFDIR_SRCS) $(PURE_SRCS) $(JANSSON_HOST)

# kbox oci's id and signal checks: pure, beside the pure code.
$(OUT)/tests/test_oci_args: tests/unit/test_oci_args.c tests/tap.h init/oci_args.c init/oci_args.h | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< init/oci_args.c

# The control socket's server with the real loop; the harness stubs the supervisor.
CONTROL_FUZZ_SRCS := init/control.c init/loop.c lib/log.c lib/ctl.c
$(OUT)/fuzz/fuzz_control: tests/fuzz/fuzz_control.c tests/stub_table.h $(PURE_SRCS) $(CONTROL_FUZZ_SRCS) $(wildcard init/*.h lib/*.h) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(PURE_SRCS) $(CONTROL_FUZZ_SRCS) $(JANSSON_HOST)

# The control socket's server under attack, with the same stubs' approach.
$(OUT)/tests/test_control: tests/unit/test_control.c tests/tap.h tests/stub_table.h $(PURE_SRCS) $(CONTROL_FUZZ_SRCS) $(wildcard init/*.h lib/*.h) | deps $(JANSSON_HOST)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) $(CONTROL_FUZZ_SRCS) $(JANSSON_HOST)

# New inputs go to $(OUT)/fuzz/corpus-NAME; the repository's corpus is only read.
fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do n=$${f##*/fuzz_}; mkdir -p $(OUT)/fuzz/corpus-$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(OUT)/fuzz/corpus-$$n tests/fuzz/corpus/$$n 2>&1 | \
			grep -E 'stat::number_of_executed_units|ERROR|SUMMARY' || exit 1; done

host-test: all $(OUT)/probe $(OUT)/records $(FUZZERS) $(OUT)/tests/nftcheck $(OUT)/kbox-host $(OUT)/tests/ptydrive $(OUT)/tests/initprobe $(OUT)/tests/cgodrive $(OUT)/tests/ocimount $(OUT)/tests/ociproc
	$(PROVE) tests/host/*.t

qemu-test: all $(OUT)/probe $(OUT)/records $(OUT)/tests/cgodrive-musl
	$(PROVE) tests/qemu/*.t

# Not part of test: timings are reported in bench/results/latest.md, never asserted.
bench: all
	@mk/deps bench
	bench/run

# One prove run, so that its summary covers every test.
# CI keeps only the tail of what it printed: the failed cases come last, after the summary.
test: all $(OUT)/probe $(OUT)/records $(UNIT_TESTS) $(FUZZERS) $(OUT)/tests/nftcheck $(OUT)/kbox-host $(OUT)/tests/ptydrive $(OUT)/tests/initprobe $(OUT)/tests/cgodrive $(OUT)/tests/ocimount $(OUT)/tests/ociproc $(OUT)/tests/cgodrive-musl
	@rm -f $(OUT)/tests/failures
	@$(PROVE) $(UNIT_TESTS) tests/host/*.t tests/qemu/*.t || \
		{ echo "failed:"; tail -n 40 $(OUT)/tests/failures 2>/dev/null; exit 1; }

# The demo's web container is published on 8080: curl localhost:$(RUN_PORT) on this machine.
RUN_PORT ?= 8080
run: all
	qemu/run --initrd $(OUT)/demo.cpio --hostfwd tcp:$(RUN_PORT)-:8080 $(if $(APPEND),--append '$(APPEND)')

fmt:
	clang-format -i $(KBOX_SRCS) $(KBOX_HDRS) $(wildcard initramfs/*.[ch] tests/unit/*.c tests/fuzz/*.c tests/*.h)

lint:
	clang-format --dry-run --Werror $(KBOX_SRCS) $(KBOX_HDRS) $(wildcard initramfs/*.[ch])

clean:
	rm -rf $(OUT)

distclean: clean
	rm -rf $(KBOX_CACHE)

-include $(KBOX_OBJS:.o=.d) $(UNIT_TESTS:=.d)
