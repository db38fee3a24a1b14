/*
 * Reference multi-core receiver for `salvo bench --receive --loops N`: N SO_REUSEPORT sockets on
 * one loopback port, each drained by its own thread with recvmmsg, 64 datagrams per call. It is
 * what the Salvo reuse-port groups (one channel per event loop) are measured against.
 *
 *   salvo_bench_recv_threads N PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS
 *
 * The main thread only keeps time: it sums the threads' counts every millisecond, opens the
 * window SETTLE_MS after the first datagram, and after standard input says "stop" (or closes)
 * waits for the counts to stand still for 50 ms before reporting. Same line protocol as
 * salvo_bench_recv (READY, PHASE settle|window|done, RESULT, ERROR); the RESULT also carries
 * "split", the window's datagrams per socket. CPU time is the whole process's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_THREADS 64
#define RCVBUF (4 * 1024 * 1024)

struct worker {
    int fd;
    size_t slot;
    _Atomic long long count;
    pthread_t thread;
};

static atomic_int running = 1;

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

static void *drain(void *arg) {
    struct worker *w = arg;
    char *buffers = malloc(w->slot * BATCH);
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = buffers + w->slot * (size_t) i;
        iov[i].iov_len = w->slot;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
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

int main(int argc, char **argv) {
    if (argc != 6) {
        printf("ERROR usage: %s N PAYLOAD SETTLE_MS WINDOW_MS LIMIT_MS\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    int payload = atoi(argv[2]);
    long long settle = atoll(argv[3]) * 1000000LL;
    long long window = atoll(argv[4]) * 1000000LL;
    long long limit = atoll(argv[5]) * 1000000LL;
    if (threads < 1 || threads > MAX_THREADS) {
        printf("ERROR N must be 1..%d, not %s\n", MAX_THREADS, argv[1]);
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
    long long first = 0, t0 = 0, c0 = 0, t1 = 0, c1 = 0, n0 = 0, n1 = 0;
    long long at_open[MAX_THREADS] = {0}, at_close[MAX_THREADS] = {0};
    int phase = 0; /* 0 waiting for the first datagram, 1 settling, 2 in the window, 3 done */
    int stopping = 0;
    long long last = -1, quiet_since = 0;
    for (;;) {
        long long t = clock_ns(CLOCK_MONOTONIC);
        long long now = total(workers, threads);
        if (phase == 0 && now > 0) {
            first = t;
            phase = 1;
            printf("PHASE settle\n");
            fflush(stdout);
        }
        if (phase == 1 && t >= first + settle) {
            phase = 2;
            t0 = t;
            c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
            n0 = now;
            for (int i = 0; i < threads; i++) at_open[i] = atomic_load(&workers[i].count);
            printf("PHASE window\n");
            fflush(stdout);
        }
        if (phase == 2 && t >= t0 + window) {
            phase = 3;
            t1 = t;
            c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
            n1 = now;
            for (int i = 0; i < threads; i++) at_close[i] = atomic_load(&workers[i].count);
            printf("PHASE done\n");
            fflush(stdout);
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
    if (phase == 2) { /* stopped inside the window: report the part that ran */
        t1 = clock_ns(CLOCK_MONOTONIC);
        c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
        n1 = total(workers, threads);
        for (int i = 0; i < threads; i++) at_close[i] = atomic_load(&workers[i].count);
    }
    atomic_store(&running, 0);
    for (int i = 0; i < threads; i++) pthread_join(workers[i].thread, NULL);
    printf("RESULT {\"datagrams\":%lld,\"elapsed_ns\":%lld,\"cpu_ns\":%lld,\"received_total\":%lld,"
           "\"gc_count\":0,\"gc_ms\":0,\"split\":[",
           n1 - n0, t1 - t0, c1 - c0, total(workers, threads));
    for (int i = 0; i < threads; i++) printf("%s%lld", i > 0 ? "," : "", at_close[i] - at_open[i]);
    printf("]}\n");
    fflush(stdout);
    for (int i = 0; i < threads; i++) close(workers[i].fd);
    return 0;
}
