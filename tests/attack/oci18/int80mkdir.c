/* mkdir(argv[1]) by the i386 ABI (int 0x80, syscall 39) and by the x32 one (syscall
 * 83 | 0x40000000), from a 64-bit static binary: a seccomp filter built for
 * SCMP_ARCH_X86_64 alone must still refuse both. The path must lie below 4 GiB for int
 * 0x80: it is copied into a static buffer. Prints what each returned. */
#include <stdio.h>
#include <string.h>
static char path[256];
int main(int argc, char **argv)
{
	long r;
	if (argc < 2) return 2;
	snprintf(path, sizeof(path), "%s.i386", argv[1]);
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(39L), "b"(path), "c"(0755L) : "memory");
	printf("i386 mkdir %s: %ld\n", path, r);
	snprintf(path, sizeof(path), "%s.x32", argv[1]);
	__asm__ volatile("syscall" : "=a"(r) : "a"(83L | 0x40000000L), "D"(path), "S"(0755L)
			 : "rcx", "r11", "memory");
	printf("x32 mkdir %s: %ld\n", path, r);
	return 0;
}
