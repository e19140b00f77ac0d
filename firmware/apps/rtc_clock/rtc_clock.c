/* apps/rtc_clock — wall-clock time from the RTC counter across its 32-bit overflows, resets and
 * deep sleep, with state in RTC user memory (protocols.md D.2, D.5; the technique MicroPython's
 * machine_rtc.c uses, plus detection of overflows missed because nobody read the counter).
 *
 * Time (us since the first boot) = ref_us + (((wraps << 32) + ticks - ref_ticks) * cal) >> 12,
 * where ticks is the RTC counter, cal the calibration (Q12 us per tick) measured once when the
 * state was created, and wraps the overflows counted since ref. The state (RTC memory blocks 64..)
 * survives watchdog and software resets, with which the counter keeps counting; a deep-sleep wake
 * restarts the counter at 0, so before sleeping ref becomes (the time at the wake, counter 0);
 * any other reset that restarts the counter (external) continues from the last saved time.
 *
 * Every minute (every 60th beat of a 1 s heartbeat, which also reads UART0 commands) the counter is
 * read: a value below the last one is one wrap. A second clock tells whether more may have gone by
 * unseen: the 1 MHz system_get_time extended to 64 bits by the heartbeat (it wraps every 71.6 min).
 * When the time since the last read is more than half a wrap period (cal << 20 us), the number
 * of wraps is taken from that clock instead (nearest whole number of wraps given the ticks): the
 * firmware reports MISSED and corrects itself. A real application would do the same with NTP.
 *
 * Commands (UART0 lines): "skip S" stops reading the RTC for S seconds (the heartbeat goes on),
 * "cycle N S" does N deep sleeps of S seconds (state and count in RTC memory), "report" prints.
 *
 * Output:
 *   rtc_clock: boot reason R, state fresh|kept, cal C
 *   rtc_clock: t=T up=U ticks=K wraps=W cal=C        at boot, every 10 min and on "report"
 *   rtc_clock: wrap W at ticks K t=T
 *   rtc_clock: MISSED overflow: G s since the last read, more than half a wrap (P s); W wraps
 *   rtc_clock: wake N of M t=T                          after each deep-sleep wake
 */
#include "ets_sys.h"
#include "osapi.h"
#include "user_interface.h"

#define STATE_BLOCK  64
#define STATE_MAGIC  0x52544331u /* "RTC1" */
#define BEAT_MS      1000u
#define UPDATE_BEATS 60u  /* read the RTC every minute */
#define REPORT_BEATS 600u /* report every 10 minutes */

struct rtc_state {
    uint32 magic;
    uint32 cal;
    uint32 ref_us_lo, ref_us_hi;
    uint32 ref_ticks;
    uint32 wraps;
    uint32 last_ticks;
    uint32 cycles_left, cycles_total;
    uint32 sleep_s;
    uint32 sum;
};

static struct rtc_state st;
static os_timer_t beat;
static uint32 beats, up_hi, up_last_lo;
static uint64 skip_until_us, last_read_up;
static char line[64];
static uint32 line_len;

static uint32 state_sum(const struct rtc_state *s)
{
    const uint32 *w = (const uint32 *)s;
    uint32 x = 0x9E3779B9u;
    for (uint32 i = 0; i < sizeof(*s) / 4u - 1u; i++)
        x = (x ^ w[i]) * 0x01000193u;
    return x;
}

static void state_save(void)
{
    st.sum = state_sum(&st);
    system_rtc_mem_write(STATE_BLOCK, &st, sizeof(st));
}

/* 64-bit microseconds since this boot (system_get_time extended; called at least every 71 min). */
static uint64 uptime_us(void)
{
    uint32 lo = system_get_time();
    if (lo < up_last_lo) up_hi++;
    up_last_lo = lo;
    return (uint64)up_hi << 32 | lo;
}

static uint64 ref_us(void)
{
    return (uint64)st.ref_us_hi << 32 | st.ref_us_lo;
}

static void set_ref(uint64 us, uint32 ticks)
{
    st.ref_us_lo = (uint32)us;
    st.ref_us_hi = (uint32)(us >> 32);
    st.ref_ticks = ticks;
    st.wraps = 0;
    st.last_ticks = ticks;
}

static uint64 time_at(uint32 ticks, uint32 wraps)
{
    uint64 ext = ((uint64)wraps << 32) + ticks - st.ref_ticks;
    return ref_us() + ((ext * st.cal) >> 12);
}

/* Decimal text of a 64-bit number (os_printf has no 64-bit conversions). */
static const char *u64s(uint64 v, char *buf)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

static void report(uint32 ticks)
{
    char a[24], b[24];
    os_printf("rtc_clock: t=%s up=%s ticks=%u wraps=%u cal=%u\n", u64s(time_at(ticks, st.wraps), a),
              u64s(uptime_us(), b), ticks, st.wraps, st.cal);
}

/* One read of the counter: wraps, missed wraps, state saved. */
static uint32 rtc_update(void)
{
    uint32 ticks = system_get_rtc_time();
    uint64 up = uptime_us();
    uint64 gap = up - last_read_up;
    uint64 wrap_us = (uint64)st.cal << 20;
    char a[24];
    if (gap > wrap_us / 2u) {
        /* ticks the crystal says went by, and the whole wraps that best explain them */
        uint64 expect = (uint64)st.last_ticks + ((gap << 12) / st.cal);
        uint64 w = (expect - ticks + (1ull << 31)) >> 32;
        os_printf("rtc_clock: MISSED overflow: %u s since the last read, more than half a wrap "
                  "(%u s); %u wraps\n",
                  (uint32)(gap / 1000000u), (uint32)(wrap_us / 1000000u), (uint32)w);
        st.wraps += (uint32)w;
    } else if (ticks < st.last_ticks) {
        st.wraps++;
        os_printf("rtc_clock: wrap %u at ticks %u t=%s\n", st.wraps, ticks,
                  u64s(time_at(ticks, st.wraps), a));
    }
    st.last_ticks = ticks;
    last_read_up = up;
    state_save();
    return ticks;
}

static void deep_sleep_next(void)
{
    uint32 ticks = rtc_update();
    /* the counter restarts at the wake: the time then is now + the SDK's 100 ms delay before
     * sleeping + the sleep */
    uint64 wake = time_at(ticks, st.wraps) + 100000u + (uint64)st.sleep_s * 1000000u;
    set_ref(wake, 0);
    st.cycles_left--;
    state_save();
    system_deep_sleep((uint64)st.sleep_s * 1000000u);
}

static uint32 parse_u32(const char **p)
{
    uint32 v = 0;
    while (**p == ' ')
        (*p)++;
    while (**p >= '0' && **p <= '9')
        v = v * 10u + (uint32)(*(*p)++ - '0');
    return v;
}

static void command(const char *s)
{
    if (!os_strncmp(s, "skip ", 5)) {
        const char *p = s + 5;
        uint32 secs = parse_u32(&p);
        skip_until_us = uptime_us() + (uint64)secs * 1000000u;
        os_printf("rtc_clock: skipping RTC reads for %u s\n", secs);
    } else if (!os_strncmp(s, "cycle ", 6)) {
        const char *p = s + 6;
        st.cycles_total = st.cycles_left = parse_u32(&p);
        st.sleep_s = parse_u32(&p);
        os_printf("rtc_clock: %u deep sleeps of %u s\n", st.cycles_total, st.sleep_s);
        if (st.cycles_left) deep_sleep_next();
    } else if (!os_strcmp(s, "report")) {
        report(rtc_update());
    } else if (s[0]) {
        os_printf("rtc_clock: unknown command '%s'\n", s);
    }
}

static void poll_uart(void)
{
    uint8 c;
    while (uart_rx_one_char(&c) == 0) {
        if (c == '\r') continue;
        if (c == '\n') {
            line[line_len] = 0;
            command(line);
            line_len = 0;
        } else if (line_len < sizeof(line) - 1u) {
            line[line_len++] = (char)c;
        }
    }
}

static void beat_cb(void *arg)
{
    (void)arg;
    uint64 up = uptime_us();
    beats++;
    poll_uart();
    if (beats % UPDATE_BEATS) return;
    if (up < skip_until_us) return;
    if (skip_until_us) {
        skip_until_us = 0;
        os_printf("rtc_clock: reading the RTC again\n");
    }
    uint32 ticks = rtc_update();
    if (beats % REPORT_BEATS == 0) report(ticks);
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    uint32 ticks = system_get_rtc_time();
    bool kept = system_rtc_mem_read(STATE_BLOCK, &st, sizeof(st)) && st.magic == STATE_MAGIC &&
                st.sum == state_sum(&st);
    if (!kept) {
        /* power-on: RTC memory holds garbage. Time 0 = this boot's start. */
        os_memset(&st, 0, sizeof(st));
        st.magic = STATE_MAGIC;
        st.cal = system_rtc_clock_cali_proc();
        ticks = system_get_rtc_time();
        set_ref(system_get_time(), ticks);
    } else if (ri->reason == REASON_EXT_SYS_RST || ri->reason == REASON_DEFAULT_RST) {
        /* the counter restarted and nobody knows for how long we were down */
        set_ref(time_at(st.last_ticks, st.wraps), ticks);
    } else if (ri->reason == REASON_DEEP_SLEEP_AWAKE) {
        st.last_ticks = ticks; /* ref was set for counter 0 at the wake */
    }
    /* watchdog, exception and software resets: the counter kept counting; go on */
    last_read_up = uptime_us();
    os_printf("rtc_clock: boot reason %u, state %s, cal %u\n", ri->reason, kept ? "kept" : "fresh",
              st.cal);
    rtc_update();
    report(ticks);
    if (kept && ri->reason == REASON_DEEP_SLEEP_AWAKE && st.cycles_total) {
        char a[24];
        os_printf("rtc_clock: wake %u of %u t=%s\n", st.cycles_total - st.cycles_left,
                  st.cycles_total, u64s(time_at(ticks, st.wraps), a));
        if (st.cycles_left) {
            deep_sleep_next();
            return;
        }
        st.cycles_total = 0;
        state_save();
    }
    os_timer_setfn(&beat, beat_cb, NULL);
    os_timer_arm(&beat, BEAT_MS, 1);
}
