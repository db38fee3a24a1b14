/*
 * Reference UDP sender for `salvo bench`: the fastest ways C can push datagrams at a loopback
 * receiver, so the Java contenders have a floor to be measured against.
 *
 *   salvo_bench_send MODE HOST PORT PAYLOAD WARMUP_MS WINDOW_MS LIMIT_MS MAX_DATAGRAMS
 *
 * MODE is a mechanism, optionally followed by comma-separated spread options:
 * sendmmsg: 64 datagrams per call, each with its own destination (unconnected, like the Java peers).
 * gso:      one sendmsg per call carrying min(64, 65000 / PAYLOAD) segments (UDP_SEGMENT cmsg).
 * sources=K: send from K sockets (K source ports) in turn, one call each, so that SO_REUSEPORT's
 *            hash of the 4-tuple spreads the datagrams statistically over a receiver's sockets.
 * ports=N:   send to the N ports PORT..PORT+N-1 in turn (per datagram with sendmmsg, per call
 *            with gso), for a receiver with N sockets.
 * Example: gso,sources=16   sendmmsg,ports=1024
 *
 * It speaks the harness's line protocol on stdout (PHASE ..., RESULT {json}, ERROR text) and stops
 * early when its standard input says "stop" or closes, so the harness can end it cleanly. A "mark"
 * line on standard input is answered with MARK {"sent":N}, the datagrams sent so far, so the
 * harness can count what was sent during a receiver's window; input is checked every millisecond.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define BATCH 64
#define MAX_SOURCES 256

static long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Reads what the harness wrote, if anything: answers each "mark" with the datagrams sent so far,
 * and returns true when it asked us to stop (a "stop" line or end of input). Never blocks.
 */
static int stop_requested(long long sent_so_far) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0) return 0;
    char line[256];
    ssize_t n = read(0, line, sizeof line - 1);
    if (n <= 0) return 1;
    line[n] = 0;
    for (char *m = strstr(line, "mark"); m != NULL; m = strstr(m + 4, "mark")) {
        printf("MARK {\"sent\":%lld}\n", sent_so_far);
        fflush(stdout);
    }
    return strstr(line, "stop") != NULL;
}

int main(int argc, char **argv) {
    if (argc != 9) {
        printf("ERROR usage: %s sendmmsg|gso[,sources=K][,ports=N] HOST PORT PAYLOAD WARMUP_MS WINDOW_MS LIMIT_MS"
               " MAX_DATAGRAMS\n", argv[0]);
        return 2;
    }
    int gso = strncmp(argv[1], "gso", 3) == 0 && (argv[1][3] == 0 || argv[1][3] == ',');
    int sources = 1, ports = 1;
    for (char *opt = strchr(argv[1], ','); opt != NULL; opt = strchr(opt + 1, ',')) {
        if (sscanf(opt, ",sources=%d", &sources) != 1 && sscanf(opt, ",ports=%d", &ports) != 1) {
            printf("ERROR unknown mode option in %s\n", argv[1]);
            return 2;
        }
    }
    int first_port = atoi(argv[3]);
    if (sources < 1 || sources > MAX_SOURCES || ports < 1 || first_port < 1 || first_port + ports - 1 > 65535) {
        printf("ERROR sources must be 1..%d and the ports %d..%d must be valid\n", MAX_SOURCES, first_port,
               first_port + ports - 1);
        return 2;
    }
    int payload = atoi(argv[4]);
    long long warmup = atoll(argv[5]) * 1000000LL;
    long long window = atoll(argv[6]) * 1000000LL;
    long long limit = atoll(argv[7]) * 1000000LL;
    long long max_datagrams = atoll(argv[8]);

    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t) first_port)};
    if (inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1 || (ntohl(dst.sin_addr.s_addr) >> 24) != 127) {
        printf("ERROR only 127.0.0.0/8 targets are allowed, not %s\n", argv[2]);
        return 2;
    }
    struct sockaddr_in *dsts = calloc((size_t) ports, sizeof *dsts);
    for (int p = 0; p < ports; p++) {
        dsts[p] = dst;
        dsts[p].sin_port = htons((uint16_t) (first_port + p));
    }
    int fds[MAX_SOURCES];
    for (int k = 0; k < sources; k++) {
        fds[k] = socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[k] < 0) {
            printf("ERROR socket: %s\n", strerror(errno));
            return 1;
        }
    }
    int fd = fds[0];
    int next_source = 0, next_port = 0;

    int segments = gso ? 65000 / (payload > 0 ? payload : 1) : 1;
    if (segments > BATCH) segments = BATCH;
    if (segments < 1) segments = 1;
    size_t buffer_len = (size_t) payload * (size_t) segments;
    char *buffer = calloc(buffer_len + 1, 1);

    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = buffer;
        iov[i].iov_len = (size_t) payload;
        msgs[i].msg_hdr.msg_name = &dst;
        msgs[i].msg_hdr.msg_namelen = sizeof dst;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    /* The GSO message: one buffer of `segments` datagrams, cut by the kernel at `payload` bytes. */
    struct iovec gso_iov = {.iov_base = buffer, .iov_len = buffer_len};
    union {
        char buf[CMSG_SPACE(sizeof(uint16_t))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr gso_msg = {.msg_name = &dst, .msg_namelen = sizeof dst, .msg_iov = &gso_iov, .msg_iovlen = 1};
    if (gso) {
        gso_msg.msg_control = control.buf;
        gso_msg.msg_controllen = sizeof control.buf;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&gso_msg);
        cm->cmsg_level = SOL_UDP;
        cm->cmsg_type = UDP_SEGMENT;
        cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        uint16_t seg = (uint16_t) payload;
        memcpy(CMSG_DATA(cm), &seg, sizeof seg);
    }

    printf("PHASE warmup\n");
    fflush(stdout);
    long long start = clock_ns(CLOCK_MONOTONIC);
    long long warm_end = start + warmup, window_end = warm_end + window, hard_end = start + limit;
    long long next_stdin_check = start + 1000000LL;
    long long sent_total = 0, in_window = 0, errors = 0, t0 = 0, c0 = 0, t1 = 0, c1 = 0;
    int window_open = 0;
    for (;;) {
        long long t = clock_ns(CLOCK_MONOTONIC);
        if (!window_open && t >= warm_end) {
            window_open = 1;
            t0 = t;
            c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
            printf("PHASE window\n");
            fflush(stdout);
        }
        if (window_open && t >= window_end) {
            break;
        }
        if (t >= hard_end || sent_total >= max_datagrams) {
            break;
        }
        if (t >= next_stdin_check) {
            next_stdin_check = t + 1000000LL;
            if (stop_requested(sent_total)) break;
        }
        if (sources > 1) {
            fd = fds[next_source];
            next_source = (next_source + 1) % sources;
        }
        int sent;
        if (gso) {
            gso_msg.msg_name = &dsts[next_port];
            next_port = (next_port + 1) % ports;
            sent = sendmsg(fd, &gso_msg, 0) < 0 ? -1 : segments;
        } else {
            for (int i = 0; i < BATCH && ports > 1; i++) {
                msgs[i].msg_hdr.msg_name = &dsts[(next_port + i) % ports];
            }
            sent = sendmmsg(fd, msgs, BATCH, 0);
            if (sent > 0) next_port = (next_port + sent) % ports;
        }
        if (sent < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == ENOBUFS) continue;
            if (sent_total == 0) {
                printf("ERROR %s failed: %s\n", gso ? "sendmsg with UDP_SEGMENT" : "sendmmsg", strerror(errno));
                return 1;
            }
            errors++;
            continue;
        }
        sent_total += sent;
        if (window_open) in_window += sent;
    }
    if (window_open) {
        t1 = clock_ns(CLOCK_MONOTONIC);
        c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    }
    printf("RESULT {\"datagrams\":%lld,\"elapsed_ns\":%lld,\"cpu_ns\":%lld,\"sent_total\":%lld,\"errors\":%lld,"
           "\"segments_per_call\":%d}\n",
           in_window, window_open ? t1 - t0 : 0, window_open ? c1 - c0 : 0, sent_total, errors,
           gso ? segments : BATCH);
    fflush(stdout);
    for (int k = 0; k < sources; k++) close(fds[k]);
    free(dsts);
    free(buffer);
    return 0;
}
