/*
 * memwriter - guest workload for the Placewise migration lab.
 *
 * Dirties a working set of MIB MiB at RATE MiB/s and checks that every earlier write survived.
 * Parameters come from the kernel command line (/proc/cmdline), then from argv (same syntax):
 *
 *   memwriter.mib=64      working-set size in MiB (default 64)
 *   memwriter.rate=100    MiB/s to dirty: 0 = idle (verify only), N = N MiB/s, -1 = unthrottled
 *   memwriter.mode=word   word: rewrite one 8-byte word per page (XBZRLE-friendly)
 *                         page: rewrite whole pages with pseudo-random data
 *   memwriter.corrupt=S   self-test: flip one byte of the working set after S seconds, which
 *                         must produce a CORRUPTION line (proves the detector works)
 *
 * Per page it keeps the sequence number of its last write (in a separate array). Before a page
 * is rewritten it is verified against that sequence; an idle guest verifies the whole set every
 * few seconds. Every second it prints a heartbeat line:
 *
 *   MEMWRITER hb t=12 seq=3456 written_mib=1200 rate_mibs=100.0 verified=98304 errors=0
 *
 * and on any mismatch a line starting with "MEMWRITER CORRUPTION".
 *
 * Static, no libc beyond the basics: gcc -O2 -static -o memwriter memwriter.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096u
#define WORDS (PAGE / 8u)

static long opt_mib = 64;
static long opt_rate = 0;
static int opt_page_mode = 0; /* 0 = word, 1 = page */
static long opt_corrupt = -1;  /* self-test: corrupt one byte after this many seconds */

static uint8_t *mem;          /* working set */
static uint32_t *seqs;        /* last sequence written to each page */
static uint32_t npages;
static uint64_t errors, verified, written_pages;
static unsigned reported;

static uint64_t mix64(uint64_t x) {
    /* splitmix64 finaliser */
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void apply_opt(const char *tok) {
    const char *p = NULL;
    if (strncmp(tok, "memwriter.", 10) == 0) p = tok + 10;
    else if (strncmp(tok, "--", 2) == 0) p = tok + 2;
    if (!p) return;
    if (strncmp(p, "mib=", 4) == 0) opt_mib = strtol(p + 4, NULL, 10);
    else if (strncmp(p, "rate=", 5) == 0) opt_rate = strtol(p + 5, NULL, 10);
    else if (strncmp(p, "mode=", 5) == 0) opt_page_mode = strcmp(p + 5, "page") == 0;
    else if (strncmp(p, "corrupt=", 8) == 0) opt_corrupt = strtol(p + 8, NULL, 10);
}

static void parse_cmdline(void) {
    char buf[4096];
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    buf[n] = 0;
    for (char *save = NULL, *tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
        apply_opt(tok);
}

static inline uint64_t *page_words(uint32_t p) { return (uint64_t *)(mem + (size_t)p * PAGE); }

/* Word mode: word 0 carries the sequence, the other words keep the fill pattern. */
static inline uint64_t word_tag(uint32_t p, uint32_t seq) { return mix64(((uint64_t)p << 32) | seq); }
static inline uint64_t fill_word(uint32_t p, uint32_t i) { return mix64(((uint64_t)p << 20) ^ i ^ 0x5a5a000000000000ull); }

static void corruption(uint32_t p, uint32_t word, uint64_t want, uint64_t got) {
    errors++;
    if (reported < 20) {
        reported++;
        printf("MEMWRITER CORRUPTION page=%u word=%u seq=%u want=%016" PRIx64 " got=%016" PRIx64 "\n",
               p, word, seqs[p], want, got);
        fflush(stdout);
    }
}

static void write_page(uint32_t p, uint32_t seq) {
    uint64_t *w = page_words(p);
    if (!opt_page_mode) {
        w[0] = word_tag(p, seq);
    } else {
        uint64_t s = mix64(((uint64_t)p << 32) | seq) | 1;
        for (uint32_t i = 0; i < WORDS; i++) {   /* xorshift64 stream */
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            w[i] = s;
        }
    }
    seqs[p] = seq;
}

/* Word mode checks word 0 (the sequence tag) and, when full, every other word of the fill pattern
 * (else one sampled word); page mode always checks the whole page. */
static void verify_page(uint32_t p, int full) {
    uint64_t *w = page_words(p);
    uint32_t seq = seqs[p];
    verified++;
    if (!opt_page_mode) {
        uint64_t want = word_tag(p, seq);
        if (w[0] != want) { corruption(p, 0, want, w[0]); return; }
        if (full) {   /* every untouched word */
            for (uint32_t i = 1; i < WORDS; i++) {
                uint64_t f = fill_word(p, i);
                if (w[i] != f) { corruption(p, i, f, w[i]); return; }
            }
        } else {      /* one more sampled word, a different one on each pass */
            uint32_t i = 1 + (seq * 37u + p) % (WORDS - 1);
            uint64_t f = fill_word(p, i);
            if (w[i] != f) corruption(p, i, f, w[i]);
        }
    } else {
        uint64_t s = mix64(((uint64_t)p << 32) | seq) | 1;
        for (uint32_t i = 0; i < WORDS; i++) {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            if (w[i] != s) { corruption(p, i, s, w[i]); return; }
        }
    }
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    parse_cmdline();
    for (int i = 1; i < argc; i++) apply_opt(argv[i]);
    if (opt_mib < 1) opt_mib = 1;
    npages = (uint32_t)((uint64_t)opt_mib * 1024 * 1024 / PAGE);

    mem = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    seqs = calloc(npages, sizeof *seqs);
    if (mem == MAP_FAILED || !seqs) {
        printf("MEMWRITER FATAL cannot allocate %ld MiB: %s\n", opt_mib, strerror(errno));
        return 1;
    }
    /* initial fill: every page non-zero and distinct (zero pages are special-cased by migration) */
    for (uint32_t p = 0; p < npages; p++) {
        uint64_t *w = page_words(p);
        if (!opt_page_mode) for (uint32_t i = 0; i < WORDS; i++) w[i] = fill_word(p, i);
        write_page(p, 0);
    }
    printf("MEMWRITER START mib=%ld rate=%ld mode=%s pages=%u\n", opt_mib, opt_rate,
           opt_page_mode ? "page" : "word", npages);

    const uint64_t tick_ns = 10 * 1000000ull;                        /* 10 ms slices */
    const double pages_per_tick = opt_rate > 0 ? (double)opt_rate * 256.0 / 100.0 : 0.0;
    double budget = 0.0;
    uint32_t wcursor = 0, vcursor = 0, seq = 1;
    uint64_t start = now_ns(), next_tick = start + tick_ns, next_hb = start + 1000000000ull;
    uint64_t hb_written = 0, hb_last = start;
    /* idle: verify the whole set every 4 s, spread over the ticks */
    const uint32_t idle_verify_per_tick = npages / 400 + 1;

    for (;;) {
        if (opt_rate < 0) {
            for (int k = 0; k < 256; k++) {
                verify_page(wcursor, 0);
                write_page(wcursor, seq);
                written_pages++;
                if (++wcursor == npages) { wcursor = 0; seq++; }
            }
        } else {
            if (opt_rate > 0) {
                budget += pages_per_tick;
                while (budget >= 1.0) {
                    verify_page(wcursor, 0);
                    write_page(wcursor, seq);
                    written_pages++;
                    budget -= 1.0;
                    if (++wcursor == npages) { wcursor = 0; seq++; }
                }
            }
            /* background full verification of pages not being written right now */
            for (uint32_t k = 0; k < idle_verify_per_tick; k++) {
                verify_page(vcursor, 1);
                if (++vcursor == npages) vcursor = 0;
            }
            uint64_t t = now_ns();
            if (t < next_tick) {
                struct timespec ts = { 0, (long)(next_tick - t) };
                nanosleep(&ts, NULL);
                next_tick += tick_ns;
            } else if (t - next_tick > 100 * 1000000ull) {
                next_tick = t + tick_ns;  /* fell far behind (e.g. migration downtime): don't burst */
                budget = 0.0;
            } else {
                next_tick += tick_ns;
            }
        }
        uint64_t t = now_ns();
        if (opt_corrupt >= 0 && t - start >= (uint64_t)opt_corrupt * 1000000000ull) {
            uint32_t victim = npages / 2;
            mem[(size_t)victim * PAGE + 8 * 37 + 1] ^= 0x40;  /* a word the verifiers check */
            printf("MEMWRITER SELFTEST flipped a bit in page %u\n", victim);
            opt_corrupt = -1;
        }
        if (t >= next_hb) {
            double secs = (double)(t - hb_last) / 1e9;
            double mibs = (double)(written_pages - hb_written) / 256.0 / (secs > 0 ? secs : 1);
            printf("MEMWRITER hb t=%" PRIu64 " seq=%u written_mib=%" PRIu64 " rate_mibs=%.1f verified=%" PRIu64
                   " errors=%" PRIu64 "\n", (uint64_t)((t - start) / 1000000000ull), seq, written_pages / 256, mibs,
                   verified, errors);
            hb_written = written_pages;
            hb_last = t;
            next_hb += 1000000000ull;
            if (next_hb <= t) next_hb = t + 1000000000ull;
        }
    }
}
