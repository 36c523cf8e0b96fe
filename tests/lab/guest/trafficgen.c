/*
 * trafficgen: the lab guest's network load. Sends UDP datagrams of 1000 bytes to PEER:5001 at
 * RATE kbit/s (trafficgen.peer=, trafficgen.kbps= on the kernel command line) and discards what
 * arrives on port 5001 (the peer's load). Every 5 s: "TRAFFIC hb t=S sent_kb=N recv_kb=M".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static char peer[64];
static long kbps;

static void cmdline(void) {
    char buf[4096] = {0};
    FILE *f = fopen("/proc/cmdline", "r");
    if (!f) return;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    for (char *t = strtok(buf, " \n"); t; t = strtok(NULL, " \n")) {
        if (!strncmp(t, "trafficgen.peer=", 16)) snprintf(peer, sizeof peer, "%s", t + 16);
        else if (!strncmp(t, "trafficgen.kbps=", 16)) kbps = atol(t + 16);
    }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void) {
    cmdline();
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) { perror("TRAFFIC socket"); return 1; }
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(5001), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(s, (struct sockaddr *) &me, sizeof me) < 0) { perror("TRAFFIC bind"); return 1; }
    fcntl(s, F_SETFL, O_NONBLOCK);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(5001)};
    int sending = peer[0] && kbps > 0 && inet_pton(AF_INET, peer, &to.sin_addr) == 1;
    printf("TRAFFIC start peer=%s kbps=%ld sending=%d\n", peer[0] ? peer : "-", kbps, sending);
    fflush(stdout);
    char chunk[1000], in[2048];
    memset(chunk, 'p', sizeof chunk);
    double start = now(), last_hb = start;
    long long sent = 0, recvd = 0;
    for (;;) {
        double t = now();
        /* send what the rate allows so far (1000-byte datagrams) */
        if (sending) {
            long long due = (long long) ((t - start) * kbps * 1000 / 8);
            while (sent + (long long) sizeof chunk <= due) {
                if (sendto(s, chunk, sizeof chunk, 0, (struct sockaddr *) &to, sizeof to) < 0) {
                    if (errno != EAGAIN && errno != ENOBUFS && errno != EHOSTUNREACH) break;
                }
                sent += sizeof chunk; /* counted as offered, so a refusal does not burst later */
            }
        }
        ssize_t r;
        while ((r = recv(s, in, sizeof in, 0)) > 0) recvd += r;
        if (t - last_hb >= 5) {
            printf("TRAFFIC hb t=%.0f sent_kb=%lld recv_kb=%lld\n", t - start, sent / 1000, recvd / 1000);
            fflush(stdout);
            last_hb = t;
        }
        usleep(5000);
    }
}
