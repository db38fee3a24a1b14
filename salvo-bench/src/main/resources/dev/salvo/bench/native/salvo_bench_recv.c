/*
 * Reference UDP receiver for `salvo bench`: drains a loopback socket with recvmmsg, 64 datagrams
 * per call, and counts what arrives. Used as the drain-mode receiver and as the C contender of
 * the receive side.
 *
 *   salvo_bench_recv [gro|meta] PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS
 *   salvo_bench_recv threads=N PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS
 *
 * With "gro" the socket enables UDP_GRO: the kernel may hand over a train of same-sized
 * datagrams as one large read, and each read counts as ceil(length / segment size) datagrams.
 * A GRO call asks for GRO_BATCH messages of 64 KiB, 512 KiB in all, the budget Salvo gives one
 * call: 64 of them (4 MiB) took more CPU per datagram here for the same throughput.
 * With "meta" the socket asks for the TOS byte (ECN), IP_PKTINFO and SO_TIMESTAMPNS, and every
 * datagram's control messages are walked and read: what the kernel charges for that metadata.
 *
 * Line protocol on stdout: READY {"port":N} once bound on 127.0.0.1, PHASE settle|window|done,
 * then RESULT {json} after standard input says "stop" (or closes) and the socket is drained.
 * The timed window opens SETTLE_MS after the first datagram and lasts WINDOW_MS.
 *
 * With "threads=N" (the reference for `salvo bench --receive --loops N`) it binds N SO_REUSEPORT
 * sockets on one port, each drained by its own thread; the main thread only keeps time, summing
 * the threads' counts every millisecond, and after "stop" waits for them to stand still for
 * 50 ms. Its RESULT also carries "split", the window's datagrams per socket.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define BATCH 64
#define GRO_SLOT 65536
#define GRO_BATCH 8
#define RCVBUF (4 * 1024 * 1024)
#define MAX_THREADS 64

static long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* 1 when standard input holds "stop" or has closed; waits at most timeout_ms for it. */
static int stop_requested(int timeout_ms) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0) return 0;
    char line[64];
    ssize_t n = read(0, line, sizeof line - 1);
    if (n <= 0) return 1;
    line[n] = 0;
    return strstr(line, "stop") != NULL;
}

/* Points each of the BATCH messages at its own slot of `buffers`. */
static void init_batch(struct mmsghdr *msgs, struct iovec *iov, char *buffers, size_t slot) {
    memset(msgs, 0, sizeof *msgs * BATCH);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = buffers + slot * (size_t) i;
        iov[i].iov_len = slot;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
}

/* Datagrams in n GRO reads: a read with a UDP_GRO cmsg holds ceil(len / segment) of them. */
static long long gro_datagrams(struct mmsghdr *msgs, int n) {
    long long count = 0;
    for (int i = 0; i < n; i++) {
        int segment = 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm; cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm)) {
            if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO) memcpy(&segment, CMSG_DATA(cm), sizeof segment);
        }
        unsigned len = msgs[i].msg_len;
        count += segment > 0 && len > 0 ? (len + (unsigned) segment - 1) / (unsigned) segment : 1;
    }
    return count;
}

/* Reads the TOS byte, packet info and timestamp of n messages, as a receiver using them would. */
unsigned long long meta_sum; /* not static: a store the compiler must keep */
static void read_meta(struct mmsghdr *msgs, int n) {
    unsigned long long sum = 0;
    for (int i = 0; i < n; i++) {
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msgs[i].msg_hdr); cm; cm = CMSG_NXTHDR(&msgs[i].msg_hdr, cm)) {
            if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TOS) {
                sum += *(unsigned char *) CMSG_DATA(cm) & 3;
            } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
                struct in_pktinfo info;
                memcpy(&info, CMSG_DATA(cm), sizeof info);
                sum += (unsigned) info.ipi_ifindex + info.ipi_addr.s_addr;
            } else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_TIMESTAMPNS) {
                struct timespec ts;
                memcpy(&ts, CMSG_DATA(cm), sizeof ts);
                sum += (unsigned long long) ts.tv_nsec;
            }
        }
    }
    meta_sum += sum;
}

/* The settle, window and done phases of a run, shared by both modes. */
struct window {
    long long settle, length;
    int phase; /* 0 waiting for the first datagram, 1 settling, 2 in the window, 3 done */
    long long first, t0, c0, n0, t1, c1, n1;
};

#define ENTERED(phase) (1 << (phase))

/* Samples one edge of the window: the time t, the process CPU time and the count so far. */
static void sample(long long t, long long count, long long *t_out, long long *c_out, long long *n_out) {
    *t_out = t;
    *c_out = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    *n_out = count;
}

/* Moves the phases on at time t with `count` datagrams so far (several at once when the settle
 * or the window is 0) and prints each phase entered. Returns ENTERED(p) for each phase p entered. */
static int advance(struct window *w, long long t, long long count) {
    int entered = 0;
    if (w->phase == 0 && count > 0) {
        w->first = t;
        w->phase = 1;
        entered |= ENTERED(1);
        printf("PHASE settle\n");
    }
    if (w->phase == 1 && t >= w->first + w->settle) {
        sample(t, count, &w->t0, &w->c0, &w->n0);
        w->phase = 2;
        entered |= ENTERED(2);
        printf("PHASE window\n");
    }
    if (w->phase == 2 && t >= w->t0 + w->length) {
        sample(t, count, &w->t1, &w->c1, &w->n1);
        w->phase = 3;
        entered |= ENTERED(3);
        printf("PHASE done\n");
    }
    if (entered) fflush(stdout);
    return entered;
}

/* Ends a window that a stop cut short, so the part that ran is reported. Returns 1 if it did. */
static int cut_short(struct window *w, long long count) {
    if (w->phase != 2) return 0;
    sample(clock_ns(CLOCK_MONOTONIC), count, &w->t1, &w->c1, &w->n1);
    return 1;
}

/* Prints the RESULT fields every mode has, without the closing brace. */
static void print_result(const struct window *w, long long total) {
    printf("RESULT {\"datagrams\":%lld,\"elapsed_ns\":%lld,\"cpu_ns\":%lld,\"received_total\":%lld,"
           "\"gc_count\":0,\"gc_ms\":0", w->n1 - w->n0, w->t1 - w->t0, w->c1 - w->c0, total);
}

/* One socket of the threads=N mode and the thread draining it; count is written by that thread only. */
struct worker {
    int fd;
    size_t slot;
    _Alignas(64) _Atomic long long count; /* its own cache line: the threads do not share one */
    pthread_t thread;
};

static atomic_int running = 1;

static void *drain(void *arg) {
    struct worker *w = arg;
    char *buffers = malloc(w->slot * BATCH);
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    init_batch(msgs, iov, buffers, w->slot);
    while (atomic_load_explicit(&running, memory_order_relaxed)) {
        int n = recvmmsg(w->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n > 0) {
            atomic_store_explicit(&w->count, atomic_load_explicit(&w->count, memory_order_relaxed) + n,
                                  memory_order_release);
            continue;
        }
        struct pollfd p = {.fd = w->fd, .events = POLLIN};
        poll(&p, 1, 10);
    }
    free(buffers);
    return NULL;
}

static long long total(struct worker *workers, int n) {
    long long sum = 0;
    for (int i = 0; i < n; i++) sum += atomic_load_explicit(&workers[i].count, memory_order_acquire);
    return sum;
}

/* The threads=N mode; argv holds PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS from argv[1]. */
static int run_threads(int threads, char **argv) {
    int payload = atoi(argv[1]);
    long long settle = atoll(argv[2]) * 1000000LL;
    long long window = atoll(argv[3]) * 1000000LL;
    long long limit = atoll(argv[4]) * 1000000LL;
    if (threads < 1 || threads > MAX_THREADS) {
        printf("ERROR threads must be 1..%d, not %d\n", MAX_THREADS, threads);
        return 2;
    }

    static struct worker workers[MAX_THREADS];
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < threads; i++) {
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        int one = 1, rcvbuf = RCVBUF;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0
            || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
            printf("ERROR socket %d: %s\n", i, strerror(errno));
            return 1;
        }
        if (i == 0) { /* the first resolves port 0; the others share the port it got */
            socklen_t len = sizeof addr;
            getsockname(fd, (struct sockaddr *) &addr, &len);
        }
        workers[i].fd = fd;
        workers[i].slot = payload > 2048 ? (size_t) payload : 2048;
    }
    for (int i = 0; i < threads; i++) pthread_create(&workers[i].thread, NULL, drain, &workers[i]);

    printf("READY {\"port\":%d}\n", ntohs(addr.sin_port));
    fflush(stdout);

    long long start = clock_ns(CLOCK_MONOTONIC), hard_end = start + limit;
    struct window w = {.settle = settle, .length = window};
    long long at_open[MAX_THREADS] = {0}, at_close[MAX_THREADS] = {0};
    int stopping = 0;
    long long last = -1, quiet_since = 0;
    for (;;) {
        long long t = clock_ns(CLOCK_MONOTONIC);
        long long now = total(workers, threads);
        int entered = advance(&w, t, now);
        for (int i = 0; i < threads && entered; i++) {
            if (entered & ENTERED(2)) at_open[i] = atomic_load(&workers[i].count);
            if (entered & ENTERED(3)) at_close[i] = atomic_load(&workers[i].count);
        }
        if (t >= hard_end) break;
        if (!stopping) {
            stopping = stop_requested(1);
            quiet_since = t;
            last = now;
            continue;
        }
        /* Stopping: what is still queued gets counted once the counts stand still for 50 ms. */
        if (now != last) {
            last = now;
            quiet_since = t;
        } else if (t - quiet_since >= 50000000LL) {
            break;
        }
        usleep(1000);
    }
    if (cut_short(&w, total(workers, threads))) {
        for (int i = 0; i < threads; i++) at_close[i] = atomic_load(&workers[i].count);
    }
    atomic_store(&running, 0);
    for (int i = 0; i < threads; i++) pthread_join(workers[i].thread, NULL);
    print_result(&w, total(workers, threads));
    printf(",\"split\":[");
    for (int i = 0; i < threads; i++) printf("%s%lld", i > 0 ? "," : "", at_close[i] - at_open[i]);
    printf("]}\n");
    fflush(stdout);
    for (int i = 0; i < threads; i++) close(workers[i].fd);
    return 0;
}

int main(int argc, char **argv) {
    int threads = 0;
    if (argc == 6 && sscanf(argv[1], "threads=%d", &threads) == 1) {
        return run_threads(threads, argv + 1);
    }
    int gro = argc == 6 && strcmp(argv[1], "gro") == 0;
    int meta = argc == 6 && strcmp(argv[1], "meta") == 0;
    if (gro || meta) {
        argv++;
        argc--;
    }
    if (argc != 5) {
        printf("ERROR usage: %s [gro|meta] PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS\n", argv[0]);
        return 2;
    }
    int payload = atoi(argv[1]);
    long long settle = atoll(argv[2]) * 1000000LL;
    long long window = atoll(argv[3]) * 1000000LL;
    long long limit = atoll(argv[4]) * 1000000LL;

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int rcvbuf = RCVBUF;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int one = 1;
    if (gro && setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) != 0) {
        printf("ERROR UDP_GRO is not supported here: %s\n", strerror(errno));
        return 1;
    }
    if (meta && (setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof one) != 0
                 || setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0
                 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)) {
        printf("ERROR metadata options refused: %s\n", strerror(errno));
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof addr;
    if (bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
        getsockname(fd, (struct sockaddr *) &addr, &addr_len) != 0) {
        printf("ERROR bind: %s\n", strerror(errno));
        return 1;
    }

    size_t slot = gro ? GRO_SLOT : payload > 2048 ? (size_t) payload : 2048;
    char *buffers = malloc(slot * BATCH);
    struct iovec iov[BATCH];
    union {
        char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(struct timespec))];
        struct cmsghdr align;
    } control[BATCH];
    struct sockaddr_in from[BATCH];
    struct mmsghdr msgs[BATCH];
    init_batch(msgs, iov, buffers, slot);
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    }

    printf("READY {\"port\":%d}\n", ntohs(addr.sin_port));
    fflush(stdout);

    long long start = clock_ns(CLOCK_MONOTONIC), hard_end = start + limit;
    struct window w = {.settle = settle, .length = window};
    long long total = 0;
    long long next_stdin_check = start;
    int stopping = 0;
    int vlen = gro ? GRO_BATCH : BATCH;
    for (;;) {
        for (int i = 0; i < vlen; i++) {
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
            if (gro || meta) {
                msgs[i].msg_hdr.msg_control = control[i].buf;
                msgs[i].msg_hdr.msg_controllen = sizeof control[i].buf;
            }
        }
        int n = recvmmsg(fd, msgs, vlen, MSG_DONTWAIT, NULL);
        long long t = clock_ns(CLOCK_MONOTONIC);
        if (n > 0) {
            total += gro ? gro_datagrams(msgs, n) : n;
            if (meta) read_meta(msgs, n);
        }
        advance(&w, t, total);
        if (t >= hard_end) break;
        if (n > 0) {
            if (t >= next_stdin_check && !stopping) {
                next_stdin_check = t + 10000000LL;
                stopping = stop_requested(0);
            }
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            printf("ERROR recvmmsg: %s\n", strerror(errno));
            return 1;
        }
        /* The socket is empty: a stop asked for earlier is now safe to honour. */
        if (stopping) break;
        struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        if (poll(p, 2, 10) > 0 && (p[1].revents & (POLLIN | POLLHUP))) {
            stopping = stop_requested(0) || (p[1].revents & POLLHUP);
        }
    }
    cut_short(&w, total);
    print_result(&w, total);
    printf("}\n");
    fflush(stdout);
    close(fd);
    free(buffers);
    return 0;
}
