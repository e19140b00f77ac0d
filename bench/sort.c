/* bench/sort.c — quicksort (median of three, insertion sort below 16 elements, recursion on the
 * smaller side) of SORT_N pseudo-random 32-bit unsigned ints. Checks: the output is ordered and
 * is a permutation of the input (an order-independent multiset hash); the result is the FNV-1a
 * of the sorted array. */
#include "bench.h"

#ifdef BENCH_SMALL
#define SORT_N       (16u * 1024u)
#define BENCH_EXPECT 0x65f8ab4eu
#else
#define SORT_N       (1024u * 1024u)
#define BENCH_EXPECT 0xa67f695du
#endif

QSIM_BIGBSS static uint32_t sort_a[SORT_N];

static void sort_insertion(uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static inline void sort_swap(uint32_t *a, size_t i, size_t j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void sort_quick(uint32_t *a, size_t n)
{
    while (n > 16) {
        size_t m = n / 2, hi = n - 1;
        if (a[m] < a[0]) sort_swap(a, m, 0);
        if (a[hi] < a[0]) sort_swap(a, hi, 0);
        if (a[hi] < a[m]) sort_swap(a, hi, m);
        uint32_t pivot = a[m];
        size_t i = 0, j = hi;
        for (;;) { /* Hoare partition: a[0..j] <= pivot <= a[j+1..n) */
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j) break;
            sort_swap(a, i, j);
            i++;
            j--;
        }
        size_t left = j + 1;
        if (left < n - left) {
            sort_quick(a, left);
            a += left;
            n -= left;
        } else {
            sort_quick(a + left, n - left);
            n = left;
        }
    }
    sort_insertion(a, n);
}

static uint32_t sort_multiset_hash(const uint32_t *a, size_t n)
{
    uint32_t h = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = a[i] * 0x9E3779B1u;
        h += x ^ (x >> 15);
    }
    return h;
}

int main(void)
{
    int fails = 0;
    uint32_t t[7] = {5, 3, 9, 1, 3, 0xFFFFFFFFu, 0};
    sort_quick(t, 7);
    fails += bench_check("sort", "small case",
                         t[0] == 0 && t[1] == 1 && t[2] == 3 && t[3] == 3 && t[4] == 5 &&
                             t[5] == 9 && t[6] == 0xFFFFFFFFu,
                         1);

    bench_rng rng = {BENCH_SEED};
    bench_fill(&rng, sort_a, SORT_N);
    uint32_t before = sort_multiset_hash(sort_a, SORT_N);
    sort_quick(sort_a, SORT_N);
    size_t unordered = 0;
    for (size_t i = 1; i < SORT_N; i++)
        unordered += sort_a[i - 1] > sort_a[i];
    fails += bench_check("sort", "unordered pairs", (uint32_t)unordered, 0);
    fails += bench_check("sort", "multiset hash", sort_multiset_hash(sort_a, SORT_N), before);
    return bench_finish("sort", qs_fnv1a(2166136261u, sort_a, sizeof(sort_a)), BENCH_EXPECT, fails);
}
