/* Running kbox from a sealed memfd copy of itself (CVE-2019-5736). */
#include "sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool sealed_running(void)
{
#ifdef KBOX_MEMCHECK
	/* out/kbox-host, the build valgrind checks and nobody ships: valgrind cannot execveat
	 * a memfd, so that build runs from its file. */
	return true;
#endif
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals = fd < 0 ? -1 : fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
}

int sealed_exec(const char *path, char *const argv[])
{
	_cleanup_close_ int src = open(path, O_RDONLY | O_CLOEXEC), mfd = -1;
	struct stat st;

	if (src < 0 || fstat(src, &st) < 0)
		return -errno;
	mfd = memfd_create("kbox", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return -errno;
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(mfd, src, NULL, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += n;
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		return -errno;
	/* An ELF binary runs from a close-on-exec fd: execveat(AT_EMPTY_PATH) needs no path. */
	fexecve(mfd, argv, environ);
	return -errno;
}
