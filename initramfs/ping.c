/* ping for the built-in busybox image: ICMP echo over a datagram socket, which needs no
 * CAP_NET_RAW, only a group in net.ipv4.ping_group_range (kbox opens that range to every
 * group of a container's own network namespace). busybox 1.35's ping insists on a raw
 * socket, and containers have no NET_RAW by default.
 *
 * usage: ping [-q] [-c COUNT] [-W SECONDS] [-w SECONDS] [-i SECONDS] [-s SIZE] HOST
 * As busybox's: -c stops after COUNT replies (with -w) or COUNT requests, -W is how long
 * to wait for replies once the last request is out (10 s), -w the deadline for it all.
 * Exit status 0 if any reply came, 1 if none, 2 on a usage or socket error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXDATA 1472

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int usage(void)
{
	fprintf(stderr, "usage: ping [-q] [-c COUNT] [-W SECONDS] [-w SECONDS] [-i SECONDS] "
			"[-s SIZE] HOST\n");
	return 2;
}

/* A number of seconds (fractions allowed) in milliseconds; -1 if it is not one. */
static double seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end && v >= 0 && v < 1e7 ? v * 1e3 : -1;
}

struct stats {
	unsigned long sent, received;
	double min, max, sum;
};

/* One request: the ICMP header (the kernel sets the id and the checksum) and the time it
 * left, then a pattern up to size bytes of data. */
static int send_echo(int fd, const struct sockaddr_in *to, uint16_t seq, size_t size)
{
	unsigned char pkt[sizeof(struct icmphdr) + MAXDATA] = {0};
	struct icmphdr *h = (struct icmphdr *)pkt;
	double t = now_ms();

	h->type = ICMP_ECHO;
	h->un.echo.sequence = htons(seq);
	for (size_t i = 0; i < size; i++)
		pkt[sizeof(*h) + i] = (unsigned char)i;
	if (size >= sizeof(t))
		memcpy(pkt + sizeof(*h), &t, sizeof(t));
	if (sendto(fd, pkt, sizeof(*h) + size, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		return -errno;
	return 0;
}

/* Read one datagram; count and print it if it is an echo reply. */
static void read_reply(int fd, const char *addr, size_t size, bool quiet, struct stats *st)
{
	unsigned char pkt[sizeof(struct icmphdr) + MAXDATA];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {pkt, sizeof(pkt)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf)};
	const struct icmphdr *h = (const struct icmphdr *)pkt;
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
	double sent, rtt = 0;
	int ttl = -1;

	if (n < (ssize_t)sizeof(*h) || h->type != ICMP_ECHOREPLY)
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
			memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
	if (size >= sizeof(sent) && (size_t)n >= sizeof(*h) + sizeof(sent)) {
		memcpy(&sent, pkt + sizeof(*h), sizeof(sent));
		rtt = now_ms() - sent;
		if (!st->received || rtt < st->min)
			st->min = rtt;
		if (rtt > st->max)
			st->max = rtt;
		st->sum += rtt;
	}
	st->received++;
	if (quiet)
		return;
	printf("%zd bytes from %s: seq=%u", n, addr, ntohs(h->un.echo.sequence));
	if (ttl >= 0)
		printf(" ttl=%d", ttl);
	if (size >= sizeof(sent))
		printf(" time=%.3f ms", rtt);
	printf("\n");
	fflush(stdout);
}

struct opts {
	unsigned long count;
	size_t size;
	bool quiet;
	double wait_ms, deadline_ms, interval_ms;
	const char *host;
};

/* The command line into o; -1 for a usage error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	int opt;

	while ((opt = getopt(argc, argv, "qc:W:w:i:s:")) != -1) {
		char *end = NULL;

		switch (opt) {
		case 'q':
			o->quiet = true;
			break;
		case 'c':
			o->count = strtoul(optarg, &end, 10);
			if (*end || !o->count)
				return -1;
			break;
		case 's':
			o->size = strtoul(optarg, &end, 10);
			if (*end || o->size > MAXDATA)
				return -1;
			break;
		case 'W':
		case 'w':
		case 'i': {
			double v = seconds(optarg);

			if (v < 0 || (opt == 'i' && v < 200))
				return -1;
			*(opt == 'W'   ? &o->wait_ms
			  : opt == 'w' ? &o->deadline_ms
				       : &o->interval_ms) = v;
			break;
		}
		default:
			return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	o->host = argv[optind];
	return 0;
}

/* HOST's IPv4 address into to and, as text, addr; -1 once said why not. */
static int resolve(const char *host, struct sockaddr_in *to, char addr[INET_ADDRSTRLEN])
{
	struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM}, *ai;
	int r = getaddrinfo(host, NULL, &hints, &ai);

	if (r) {
		fprintf(stderr, "ping: bad address '%s': %s\n", host, gai_strerror(r));
		return -1;
	}
	memcpy(to, ai->ai_addr, sizeof(*to));
	freeaddrinfo(ai);
	inet_ntop(AF_INET, &to->sin_addr, addr, INET_ADDRSTRLEN);
	return 0;
}

/* Send and read until the count, the deadline or the wait after the last request ends it,
 * or SIGINT. */
static void ping_loop(int fd, const struct sockaddr_in *to, const char *addr, const struct opts *o,
		      struct stats *st)
{
	double start, next, last = 0;

	start = next = now_ms();
	while (!interrupted) {
		double now = now_ms(), until;
		bool more = o->deadline_ms || !o->count || st->sent < o->count;
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (o->count && st->received >= o->count)
			break;
		if (o->deadline_ms && now >= start + o->deadline_ms)
			break;
		if (!o->deadline_ms && !more && now >= last + o->wait_ms)
			break;
		if (more && now >= next) {
			int r = send_echo(fd, to, (uint16_t)st->sent, o->size);

			if (r < 0 && !o->deadline_ms) {
				fprintf(stderr, "ping: sendto %s: %s\n", addr, strerror(-r));
				break;
			}
			st->sent++;
			last = now;
			next = now + o->interval_ms;
			more = o->deadline_ms || !o->count || st->sent < o->count;
		}
		until = more ? next : last + o->wait_ms;
		if (o->deadline_ms && until > start + o->deadline_ms)
			until = start + o->deadline_ms;
		now = now_ms();
		if (poll(&p, 1, until > now ? (int)(until - now) + 1 : 0) > 0)
			read_reply(fd, addr, o->size, o->quiet, st);
	}
}

static void print_stats(const char *host, size_t size, const struct stats *st)
{
	printf("\n--- %s ping statistics ---\n", host);
	printf("%lu packets transmitted, %lu packets received, %lu%% packet loss\n", st->sent,
	       st->received,
	       st->sent > st->received ? (st->sent - st->received) * 100 / st->sent : 0);
	if (st->received && size >= sizeof(double))
		printf("round-trip min/avg/max = %.3f/%.3f/%.3f ms\n", st->min,
		       st->sum / st->received, st->max);
}

int main(int argc, char **argv)
{
	struct opts o = {.size = 56, .wait_ms = 10e3, .interval_ms = 1e3};
	struct sigaction sa = {.sa_handler = on_sigint};
	struct sockaddr_in to;
	struct stats st = {0};
	char addr[INET_ADDRSTRLEN];
	int fd, one = 1;

	if (parse_opts(argc, argv, &o) < 0)
		return usage();
	if (resolve(o.host, &to, addr) < 0)
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0) {
		fprintf(stderr,
			"ping: ICMP datagram socket: %s (is the group in "
			"net.ipv4.ping_group_range?)\n",
			strerror(errno));
		return 2;
	}
	setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
	sigaction(SIGINT, &sa, NULL);
	printf("PING %s (%s): %zu data bytes\n", o.host, addr, o.size);
	fflush(stdout);
	ping_loop(fd, &to, addr, &o, &st);
	close(fd);
	print_stats(o.host, o.size, &st);
	return st.received ? 0 : 1;
}
