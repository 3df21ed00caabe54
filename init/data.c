/* The data disk (see data.h). A stub until the disk itself lands: there is none. */
#include "data.h"

#include <stddef.h>

int data_setup(const char *spec)
{
	(void)spec;
	return 0;
}

bool data_ready(void)
{
	return false;
}

const char *data_why(void)
{
	return "no data disk (kbox.data is not set)";
}

void data_shutdown(void)
{
}
