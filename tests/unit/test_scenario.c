/* tests/unit/test_scenario.c — sim/scenario: the values parsed from tests/scenarios/good/ (every
 * key, defaults), exact error lines ("FILE:LINE:COL: KEY: problem"), the firmware search order,
 * reset-reason names, and that a failed load leaves nothing to free. Firmware files are empty
 * stand-ins in a temporary directory: scn_load only checks that they exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario.h"

#ifndef SCN_GOOD_DIR
#error "SCN_GOOD_DIR must name tests/scenarios/good"
#endif

#define MS (1000000000ull)
#define S  (1000000000000ull)

static const char *const fw_files[] = {
    "hello.elf",      "hello-flash1m.bin",   "wdt_spin-flash1m.bin",
    "fault_null.elf", "asi2c_responder.elf", "espnow_node.elf"};

typedef struct fixture {
    char dir[64];   /* temporary directory: s.yaml, local.elf */
    char fwdir[80]; /* dir/fw: the firmware path */
    char yaml[96];  /* dir/s.yaml */
    char err[1024];
} fixture;

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx) return -1;
    strcpy(fx->dir, "/tmp/scn_test_XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->fwdir, sizeof(fx->fwdir), "%s/fw", fx->dir);
    snprintf(fx->yaml, sizeof(fx->yaml), "%s/s.yaml", fx->dir);
    if (mkdir(fx->fwdir, 0700) != 0) return -1;
    for (size_t i = 0; i < sizeof(fw_files) / sizeof(fw_files[0]); i++) {
        char p[160];
        snprintf(p, sizeof(p), "%s/%s", fx->fwdir, fw_files[i]);
        write_file(p, "stand-in");
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char p[160];
    for (size_t i = 0; i < sizeof(fw_files) / sizeof(fw_files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", fx->fwdir, fw_files[i]);
        unlink(p);
    }
    snprintf(p, sizeof(p), "%s/local.elf", fx->dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/hello.elf", fx->dir);
    unlink(p);
    unlink(fx->yaml);
    rmdir(fx->fwdir);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static bool load_good(fixture *fx, scenario *s, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", SCN_GOOD_DIR, name);
    bool ok = scn_load(s, path, fx->fwdir, fx->err, sizeof(fx->err));
    if (!ok) fprintf(stderr, "%s\n", fx->err);
    return ok;
}

/* Loads text as dir/s.yaml; returns the error (NULL when it loaded). */
static const char *load_text(fixture *fx, scenario *s, const char *text)
{
    write_file(fx->yaml, text);
    if (scn_load(s, fx->yaml, fx->fwdir, fx->err, sizeof(fx->err))) return NULL;
    return fx->err;
}

static void assert_fw(const fixture *fx, const char *got, const char *name)
{
    char want[160];
    snprintf(want, sizeof(want), "%s/%s", fx->fwdir, name);
    assert_string_equal(got, want);
}

/* A valid start of a scenario with one node, "a"; tests append keys at line 6. */
#define HEAD "version: 1\nduration: 1s\nnodes:\n  - name: a\n    firmware: hello.elf\n"

static void test_good_radio(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "radio.yaml"));
    const scn_radio *r = &s.radio;
    assert_true(r->present);
    assert_int_equal(r->model, SCN_RADIO_LOG_DISTANCE);
    assert_int_equal(r->rate_kbps, 2000);
    assert_int_equal(r->channel, 6);
    assert_true(r->short_preamble && r->rx_broadcast && r->node_pcap);
    assert_true(r->loss == 0.1 && r->rssi == -50 && r->tx_power == 17 && r->exponent == 2.7);
    assert_true(r->ref_loss == 41.5 && r->shadowing == 3 && r->noise == -96);
    assert_true(r->sensitivity == -93 && r->capture == 8 && r->adjacent_leak == 30);
    assert_true(r->ge.on && r->ge.p_gb == 0.01 && r->ge.p_bg == 0.2 && r->ge.loss_bad == 0.9);
    assert_int_equal(r->retry_limit, 3);
    assert_int_equal(r->cw_min, 15);
    assert_int_equal(r->cw_max, 255);
    assert_int_equal(r->queue, 8);
    assert_int_equal(r->rx_queue, 4);
    assert_int_equal(r->stats_every_ps, 1 * S);
    assert_int_equal(r->nlinks, 2);
    assert_true(r->links[0].from == 0 && r->links[0].to == 1 && r->links[0].loss_set &&
                r->links[0].loss == 0.25 && !r->links[0].both && !r->links[0].ge.on);
    assert_true(r->links[1].from == 1 && r->links[1].both && !r->links[1].loss_set &&
                r->links[1].ge.on && r->links[1].ge.loss_bad == 1);
    const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 0x0a};
    assert_true(s.nodes[0].mac_set);
    assert_memory_equal(s.nodes[0].mac, mac_a, 6);
    assert_int_equal(s.nodes[0].channel, 6);
    assert_int_equal(s.nodes[1].channel, 0); /* radio.channel */
    assert_true(s.nodes[0].pos_set && s.nodes[0].xyz[2] == 1.5);
    assert_true(s.nodes[1].xyz[0] == 12.5 && s.nodes[1].xyz[1] == -3 && s.nodes[1].xyz[2] == 0);
    assert_string_equal(s.nodes[1].config, "role=echoer\nchannel=6\n");
    assert_int_equal(s.nodes[1].config_len, strlen("role=echoer\nchannel=6\n"));
    assert_int_equal(s.ntimeline, 6);
    const scn_action *t = s.timeline;
    assert_true(t[0].kind == SCN_ACT_LINK_LOSS && t[0].from == 0 && t[0].to == 1 &&
                t[0].loss == 0.5 && t[0].both);
    assert_true(t[1].kind == SCN_ACT_MOVE && t[1].node == 1 && t[1].xyz[0] == 20);
    assert_true(t[2].kind == SCN_ACT_RADIO_OFF && t[3].kind == SCN_ACT_RADIO_ON);
    assert_true(t[4].kind == SCN_ACT_PARTITION && t[4].groups[0] == 1 && t[4].groups[1] == 2);
    assert_true(t[5].kind == SCN_ACT_HEAL);
    scn_free(&s);
}

/* Without radio keys there is no radio; nodes get distinct default MACs 5c:cf:7f:00:00:0N. */
static void test_radio_defaults(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "two_nodes.yaml"));
    assert_false(s.radio.present);
    assert_int_equal(s.radio.rate_kbps, 1000);
    assert_int_equal(s.radio.retry_limit, 5);
    const uint8_t m1[6] = {0x5C, 0xCF, 0x7F, 0, 0, 1}, m2[6] = {0x5C, 0xCF, 0x7F, 0, 0, 2};
    assert_memory_equal(s.nodes[0].mac, m1, 6);
    assert_memory_equal(s.nodes[1].mac, m2, 6);
    scn_free(&s);
}

static void test_good_hello(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "hello.yaml"));
    assert_int_equal(s.version, 1);
    assert_string_equal(s.name, "hello"); /* default: the file name without .yaml */
    assert_int_equal(s.seed, 1);          /* default */
    assert_int_equal(s.duration_ps, 2 * S);
    assert_int_equal(s.nnodes, 1);
    assert_string_equal(s.nodes[0].name, "esp");
    assert_fw(fx, s.nodes[0].firmware, "hello.elf");
    assert_null(s.nodes[0].flash);
    assert_int_equal(s.nodes[0].cpu_mhz, 80); /* defaults */
    assert_int_equal(s.nodes[0].clock_ppm, 0);
    assert_int_equal(s.nodes[0].boot_offset_ps, 0);
    assert_int_equal(s.nodes[0].nuart, 0);
    assert_int_equal(s.nodes[0].pos.line, 6);
    assert_int_equal(s.nodes[0].pos.col, 5);
    assert_int_equal(s.ntimeline, 0);
    assert_int_equal(s.nexpects, 2);
    const scn_expect *x = &s.expects[0];
    assert_int_equal(x->kind, SCN_EXP_WAIT_SERIAL);
    assert_int_equal(x->node, 0); /* the only node */
    assert_string_equal(x->pattern.text, "hello from espsim");
    assert_true(x->pattern.compiled);
    assert_int_equal(regexec(&x->pattern.re, "boot: hello from espsim", 0, NULL, 0), 0);
    assert_int_equal(x->timeout_ps, 1 * S);
    assert_int_equal(x->pos.line, 9);
    assert_int_equal(x->pos.col, 5);
    x = &s.expects[1];
    assert_string_equal(x->pattern.text, "^compute ok");
    assert_int_equal(x->timeout_ps, 0); /* until the end */
    assert_int_equal(regexec(&x->pattern.re, "x compute ok", 0, NULL, 0), REG_NOMATCH);
    scn_free(&s);
    scn_free(&s); /* a freed scenario is empty: freeing again is harmless */
}

static void test_good_two_nodes(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "two_nodes.yaml"));
    assert_string_equal(s.name, "responder power cycle");
    assert_int_equal(s.seed, 42);
    assert_int_equal(s.duration_ps, 6 * S);
    assert_int_equal(s.nnodes, 2);
    const scn_node *a = &s.nodes[0], *b = &s.nodes[1];
    assert_string_equal(a->name, "initiator");
    assert_int_equal(a->cpu_mhz, 160);
    assert_int_equal(a->clock_ppm, -20);
    assert_true(a->rtc_ppm_set && a->rtc_jitter_set && a->gpio16_rst);
    assert_int_equal(a->rtc_ppm, -25000);
    assert_int_equal(a->rtc_wander_ppm, 20);
    assert_int_equal(a->rtc_jitter_ppm, 50);
    assert_int_equal(a->rtc_counter, 4294000000u);
    assert_false(b->rtc_ppm_set || b->rtc_jitter_set || b->gpio16_rst);
    assert_int_equal(b->rtc_counter, 0);
    assert_string_equal(b->name, "responder");
    assert_null(b->firmware);
    assert_fw(fx, b->flash, "wdt_spin-flash1m.bin");
    assert_int_equal(b->cpu_mhz, 80);
    assert_int_equal(b->clock_ppm, 35);
    assert_int_equal(b->boot_offset_ps, 1500000000ull); /* 1.5 ms */
    assert_int_equal(b->nuart, 2);
    assert_int_equal(b->uart[0].at_ps, 100 * MS);
    assert_int_equal(b->uart[0].len, 5);
    assert_memory_equal(b->uart[0].text, "ping\n", 5);
    assert_int_equal(b->uart[1].at_ps, 2 * S);
    assert_int_equal(b->uart[1].len, 8);
    assert_memory_equal(b->uart[1].text, "status\r\n", 8);

    assert_int_equal(s.ntimeline, 3);
    const scn_action *t = &s.timeline[0];
    assert_int_equal(t->trigger, SCN_TRIG_SERIAL);
    assert_int_equal(t->on_node, 0);
    assert_string_equal(t->on_serial.text, "^done$");
    assert_int_equal(regexec(&t->on_serial.re, "done", 0, NULL, 0), 0);
    assert_int_equal(regexec(&t->on_serial.re, "not done", 0, NULL, 0), REG_NOMATCH);
    assert_int_equal(t->delay_ps, 500 * MS);
    assert_int_equal(t->kind, SCN_ACT_RESET);
    assert_int_equal(t->node, 0);
    assert_int_equal(t->pos.line, 24);
    assert_int_equal(t->pos.col, 5);
    t = &s.timeline[1];
    assert_int_equal(t->trigger, SCN_TRIG_AT);
    assert_int_equal(t->at_ps, 1 * S);
    assert_int_equal(t->delay_ps, 0);
    assert_int_equal(t->kind, SCN_ACT_CRASH);
    assert_int_equal(t->node, 1);
    assert_int_equal(t->crash, SCN_CRASH_POWER_CYCLE);
    assert_int_equal(t->off_for_ps, 250 * MS);
    t = &s.timeline[2];
    assert_int_equal(t->at_ps, 2 * S);
    assert_int_equal(t->kind, SCN_ACT_UART_INJECT);
    assert_int_equal(t->node, 1);
    assert_int_equal(t->text_len, 6);
    assert_memory_equal(t->text, "hello\n", 6);

    assert_int_equal(s.nexpects, 5);
    const scn_expect *x = s.expects;
    assert_int_equal(x[0].kind, SCN_EXP_WAIT_SERIAL);
    assert_int_equal(x[0].node, 0);
    assert_int_equal(x[0].timeout_ps, 1 * S);
    assert_int_equal(x[1].kind, SCN_EXP_RESET_REASON);
    assert_int_equal(x[1].node, 0);
    assert_int_equal(x[1].reason, 6); /* external */
    assert_int_equal(x[1].timeout_ps, 1 * S);
    assert_int_equal(x[2].node, 1);
    assert_int_equal(x[2].reason, 0); /* power-on */
    assert_int_equal(x[3].reason, 3); /* soft-wdt */
    assert_int_equal(x[3].timeout_ps, 4 * S);
    assert_int_equal(x[4].kind, SCN_EXP_COUNTER);
    assert_int_equal(x[4].node, 1);
    assert_string_equal(x[4].pattern.text, "spinning$");
    assert_int_equal(x[4].min, 2);
    assert_int_equal(x[4].max, 3);
    assert_int_equal(x[4].timeout_ps, 0);
    scn_free(&s);
}

static void test_good_faults(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "faults.yaml"));
    assert_string_equal(s.name, "fault catalogue");
    assert_int_equal(s.seed, 0);
    assert_int_equal(s.duration_ps, 50 * S);
    assert_int_equal(s.nnodes, 4);
    assert_fw(fx, s.nodes[0].firmware, "fault_null.elf");
    assert_fw(fx, s.nodes[1].firmware, "hello.elf");
    assert_fw(fx, s.nodes[1].flash, "hello-flash1m.bin");
    assert_int_equal(s.nodes[1].cpu_mhz, 80);
    assert_int_equal(s.nodes[1].clock_ppm, 500);
    assert_int_equal(s.nodes[2].clock_ppm, -500);
    assert_int_equal(s.nodes[2].boot_offset_ps, 0);

    assert_int_equal(s.ntimeline, 9);
    static const scn_crash_kind kinds[] = {SCN_CRASH_HALT,        SCN_CRASH_HANG,
                                           SCN_CRASH_EXCEPTION,   SCN_CRASH_RESET,
                                           SCN_CRASH_POWER_CYCLE, SCN_CRASH_HALT};
    static const size_t nodes[] = {1, 2, 3, 3, 3, 2};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(s.timeline[i].trigger, SCN_TRIG_AT);
        assert_int_equal(s.timeline[i].kind, SCN_ACT_CRASH);
        assert_int_equal(s.timeline[i].crash, kinds[i]);
        assert_int_equal(s.timeline[i].node, nodes[i]);
    }
    assert_int_equal(s.timeline[4].off_for_ps, 100 * MS); /* default */
    assert_int_equal(s.timeline[3].off_for_ps, 0);        /* not a power cycle */
    assert_int_equal(s.timeline[6].kind, SCN_ACT_POWER_OFF);
    assert_int_equal(s.timeline[6].node, 2);
    assert_int_equal(s.timeline[7].kind, SCN_ACT_POWER_ON);
    assert_int_equal(s.timeline[7].at_ps, 45 * S);
    assert_int_equal(s.timeline[7].delay_ps, 500 * MS);
    const scn_action *on = &s.timeline[8];
    assert_int_equal(on->trigger, SCN_TRIG_SERIAL);
    assert_int_equal(on->kind, SCN_ACT_UART_INJECT);
    assert_int_equal(on->node, 3);
    assert_int_equal(on->on_node, 3); /* defaults to the action's node */

    assert_int_equal(s.nexpects, 9);
    const scn_expect *x = s.expects;
    assert_int_equal(x[0].kind, SCN_EXP_EXIT);
    assert_int_equal(x[0].node, 0);
    assert_int_equal(x[0].exit_kind, SCN_EXIT_FAULT);
    assert_int_equal(x[0].cause, 28);
    assert_int_equal(x[0].timeout_ps, 1 * S);
    assert_int_equal(x[1].exit_kind, SCN_EXIT_HALT);
    assert_int_equal(x[1].cause, -1);
    assert_int_equal(x[2].exit_kind, SCN_EXIT_FAULT);
    assert_int_equal(x[2].cause, -1); /* any cause */
    assert_int_equal(x[3].kind, SCN_EXP_RESET_REASON);
    assert_int_equal(x[3].reason, 1); /* hw-wdt */
    assert_int_equal(x[4].reason, 6);
    assert_int_equal(x[5].reason, 0);
    assert_int_equal(x[6].exit_kind, SCN_EXIT_ANY);
    assert_int_equal(x[7].kind, SCN_EXP_COUNTER);
    assert_int_equal(x[7].min, 1);
    assert_int_equal(x[7].max, 1);
    assert_int_equal(x[8].min, 0);
    assert_int_equal(x[8].max, 0);
    scn_free(&s);

    /* A counter without max is unbounded; cause alone implies kind: fault. */
    assert_null(load_text(fx, &s,
                          HEAD "expect:\n  - counter: {pattern: x, min: 4}\n"
                               "  - expect-exit: {cause: 9}\n"));
    assert_int_equal(s.expects[0].min, 4);
    assert_int_equal(s.expects[0].max, UINT64_MAX);
    assert_int_equal(s.expects[1].exit_kind, SCN_EXIT_FAULT);
    assert_int_equal(s.expects[1].cause, 9);
    scn_free(&s);
}

/* The whole error line, position included. */
static void expect_error(fixture *fx, const char *text, const char *want)
{
    scenario s;
    const char *err = load_text(fx, &s, text);
    assert_non_null(err);
    char full[1024];
    snprintf(full, sizeof(full), "%s:%s", fx->yaml, want);
    assert_string_equal(err, full);
    assert_null(strchr(err, '\n'));
    /* A failed load leaves an empty scenario. */
    assert_null(s.path);
    assert_null(s.nodes);
    assert_int_equal(s.nnodes, 0);
    scn_free(&s);
}

static void test_errors(void **state)
{
    fixture *fx = *state;
    expect_error(fx, HEAD "colour: red\n",
                 "6:1: unknown key 'colour' (expected one of: version, name, seed, duration, "
                 "nodes, timeline, expect, wires, asi2c, radio, budgets, limits, outputs)");
    expect_error(fx, HEAD "    cpu_mhz: 100\n",
                 "6:14: nodes[0].cpu_mhz: must be 80 or 160 (got '100')");
    expect_error(fx, HEAD "    cpu_mhz: fast\n",
                 "6:14: nodes[0].cpu_mhz: expected an integer, got 'fast'");
    expect_error(fx, HEAD "    clock_ppm: -501\n",
                 "6:16: nodes[0].clock_ppm: must be between -500 and 500 (got '-501')");
    expect_error(fx, "version: 3\nfuture: yes\n",
                 "1:10: version: unsupported version 3 (this espsim reads version 1)");
    expect_error(fx, "duration: 1s\n", "1:1: missing required key 'version'");
    expect_error(fx, "version: 1\nnodes: []\n", "1:1: missing required key 'duration'");
    expect_error(fx, "version: 1\nduration: 1s\nnodes:\n",
                 "3:7: nodes: at least one node is required");
    expect_error(fx, HEAD "seed: 18446744073709551616\n",
                 "6:7: seed: number too large (got '18446744073709551616')");
    expect_error(fx, HEAD "seed: -1\n", "6:7: seed: must be a non-negative integer (got '-1')");
    expect_error(fx, HEAD "name: \"\"\n", "6:7: name: must not be empty");
    expect_error(fx, "version: 1\nduration: 1s\nnodes:\n  - name: a b\n    firmware: hello.elf\n",
                 "4:11: nodes[0].name: bad node name 'a b' (use 1 to 64 letters, digits, '_', '-' "
                 "or '.', starting with a letter or digit)");
    expect_error(
        fx, HEAD "timeline:\n  - {at: 1s, delay: 1ms, action: reset}\n",
        "7:21: timeline[0].delay: at + delay is after the end of the run (duration: '1s')");
    expect_error(fx, HEAD "timeline:\n  - {at: 1ms, action: crash}\n",
                 "7:5: timeline[0]: missing required key 'kind'");
    expect_error(fx, HEAD "timeline:\n  - {at: 1ms, action: uart-inject}\n",
                 "7:5: timeline[0]: missing required key 'text'");
    expect_error(fx, HEAD "timeline:\n  - {at: 1ms, action: reset, text: hi}\n",
                 "7:30: timeline[0]: 'text' is only used with action: uart-inject or asi2c-send");
    expect_error(fx, HEAD "timeline:\n  - {at: 1ms, action: crash, kind: halt, off_for: 1s}\n",
                 "7:42: timeline[0]: 'off_for' is only used with action: crash, kind: power-cycle");
    expect_error(fx,
                 HEAD "timeline:\n  - {at: 1ms, action: crash, kind: power-cycle, off_for: 0s}\n",
                 "7:58: timeline[0].off_for: must be greater than 0 (got '0s')");
    expect_error(fx, HEAD "timeline:\n  - {on: {node: a}, action: reset}\n",
                 "7:10: timeline[0].on: missing required key 'serial'");
    expect_error(fx, HEAD "expect:\n  - expect-exit: {kind: halt, cause: 3}\n",
                 "7:31: expect[0].expect-exit: 'cause' is only used with kind: fault");
    expect_error(fx, HEAD "expect:\n  - expect-exit: {cause: 64}\n",
                 "7:26: expect[0].expect-exit.cause: must be an EXCCAUSE from 0 to 63 (got '64')");
    expect_error(fx, HEAD "expect:\n  - counter: {pattern: x}\n",
                 "7:14: expect[0].counter: needs 'min', 'max' or both");
    expect_error(fx, HEAD "expect:\n  - counter: {pattern: x, min: 1, timeout: 1s}\n",
                 "7:35: expect[0].counter: unknown key 'timeout' (expected one of: node, pattern, "
                 "min, max, peer, stat)");
    expect_error(fx, HEAD "expect:\n  - wait-serial: {pattern: \"\"}\n",
                 "7:28: expect[0].wait-serial.pattern: must not be empty");
    expect_error(fx, HEAD "expect:\n  - {}\n",
                 "7:5: expect[0]: empty step (expected one of: wait-serial, expect-exit, "
                 "expect-reset-reason, counter, wait-gpio, wait-asi2c)");
    expect_error(fx, HEAD "expect:\n  - wait-serial: hello\n",
                 "7:18: expect[0].wait-serial: expected a mapping, got 'hello'");
    expect_error(fx, HEAD "timeline: {at: 1s}\n",
                 "6:11: timeline: expected a sequence, got a mapping");
    expect_error(fx, HEAD "? [a]\n: 1\n", "6:3: keys must be plain names, not sequences");
    expect_error(fx, HEAD "name: &n x\nseed: *n\n", "7:7: YAML aliases (*name) are not supported");
    expect_error(fx, "version: 1\n\tduration: 1s\n",
                 "2:1: syntax error: found a tab character that violates indentation (while "
                 "scanning a plain scalar at 1:10)");
    expect_error(fx, "version: 1\nnodes:\n\t- a\n",
                 "3:1: syntax error: found character that cannot start any token (while scanning "
                 "for the next token); tabs cannot be used for indentation, use spaces");
    expect_error(fx, "version: 1\nname: 'x\n",
                 "3:1: syntax error: found unexpected end of stream (while scanning a quoted "
                 "scalar at 2:7)");
    expect_error(fx, "version: 1\nname: \"\xff\"\n",
                 "2:8: syntax error: invalid leading UTF-8 octet (byte 0xff)");
    expect_error(fx, "# only a comment\n",
                 "1:1: empty scenario (expected a mapping with version, duration and nodes)");
    expect_error(
        fx, "42\n",
        "1:1: a scenario is a mapping with the keys version, nodes, duration, ...; got '42'");

    /* Deep nesting is cut off before the document is built. */
    char deep[400];
    memset(deep, '[', 200);
    deep[200] = 0;
    expect_error(fx, deep, "1:65: nesting too deep (more than 64 levels)");

    /* User text in a message is escaped: the error stays one line. */
    expect_error(fx, HEAD "\"bad\\nkey\": 1\n",
                 "6:1: unknown key 'bad\\nkey' (expected one of: version, name, seed, duration, "
                 "nodes, timeline, expect, wires, asi2c, radio, budgets, limits, outputs)");
}

static void test_file_errors(void **state)
{
    fixture *fx = *state;
    scenario s;
    char want[512];
    assert_false(scn_load(&s, "/nonexistent/x.yaml", NULL, fx->err, sizeof(fx->err)));
    assert_string_equal(fx->err, "/nonexistent/x.yaml: cannot open: No such file or directory");
    assert_false(scn_load(&s, fx->dir, NULL, fx->err, sizeof(fx->err)));
    snprintf(want, sizeof(want), "%s: not a regular file", fx->dir);
    assert_string_equal(fx->err, want);

    /* Too large: 1 MB + 1 byte of comment. */
    FILE *f = fopen(fx->yaml, "w");
    assert_non_null(f);
    for (size_t i = 0; i <= 1024 * 1024; i++)
        fputc('#', f);
    fclose(f);
    assert_false(scn_load(&s, fx->yaml, NULL, fx->err, sizeof(fx->err)));
    snprintf(want, sizeof(want), "%s: file too large (more than 1 MB)", fx->yaml);
    assert_string_equal(fx->err, want);

    /* A tiny error buffer truncates, never overflows. */
    char small[8];
    assert_false(scn_load(&s, "/nonexistent/x.yaml", NULL, small, sizeof(small)));
    assert_string_equal(small, "/nonexi");
}

static void test_entry_limit(void **state)
{
    fixture *fx = *state;
    size_t cap = 10001 * 40 + 100;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t o = (size_t)snprintf(text, cap, "version: 1\nduration: 1s\nnodes:\n");
    for (int i = 0; i < 10000; i++)
        o += (size_t)snprintf(text + o, cap - o, "- {name: n%d, firmware: hello.elf}\n", i);
    scenario s;
    assert_null(load_text(fx, &s, text));
    assert_int_equal(s.nnodes, 10000);
    assert_string_equal(s.nodes[9999].name, "n9999");
    scn_free(&s);
    snprintf(text + o, cap - o, "- {name: n10000, firmware: hello.elf}\n");
    expect_error(fx, text, "4:1: nodes: too many entries (10001; the limit is 10000)");
    free(text);
}

static void test_firmware_search(void **state)
{
    fixture *fx = *state;
    scenario s;
    char p[160];
    /* Not found: the places searched are named. */
    char want[512];
    snprintf(want, sizeof(want),
             "5:15: nodes[0].firmware: file 'x.elf' not found (searched: %s, %s, /nonexistent)",
             fx->dir, fx->fwdir);
    write_file(fx->yaml, "version: 1\nduration: 1s\nnodes:\n  - name: a\n    firmware: x.elf\n");
    char path[256];
    snprintf(path, sizeof(path), "%s::/nonexistent", fx->fwdir);
    assert_false(scn_load(&s, fx->yaml, path, fx->err, sizeof(fx->err)));
    char full[1024];
    snprintf(full, sizeof(full), "%s:%s", fx->yaml, want);
    assert_string_equal(fx->err, full);

    /* The scenario's own directory comes before the firmware path. */
    snprintf(p, sizeof(p), "%s/hello.elf", fx->dir);
    write_file(p, "local");
    assert_null(load_text(fx, &s, HEAD));
    assert_string_equal(s.nodes[0].firmware, p);
    scn_free(&s);
    unlink(p);
    assert_null(load_text(fx, &s, HEAD));
    assert_fw(fx, s.nodes[0].firmware, "hello.elf");
    scn_free(&s);

    /* Absolute paths are used as they are; a directory is not a firmware file. */
    snprintf(p, sizeof(p), "%s/local.elf", fx->dir);
    write_file(p, "local");
    char text[512];
    snprintf(text, sizeof(text), "version: 1\nduration: 1s\nnodes:\n  - name: a\n    flash: %s\n",
             p);
    assert_null(load_text(fx, &s, text));
    assert_string_equal(s.nodes[0].flash, p);
    scn_free(&s);
    snprintf(text, sizeof(text), "version: 1\nduration: 1s\nnodes:\n  - name: a\n    flash: fw\n");
    expect_error(fx, text, "5:12: nodes[0].flash: 'fw' is not a regular file");
}

static void test_reasons(void **state)
{
    (void)state;
    static const char *const names[] = {"power-on",     "hw-wdt",     "exception", "soft-wdt",
                                        "soft-restart", "deep-sleep", "external"};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(scn_reason_from_name(names[i]), i);
        assert_string_equal(scn_reason_name(i), names[i]);
    }
    assert_int_equal(scn_reason_from_name("watchdog"), -1);
    assert_int_equal(scn_reason_from_name(NULL), -1);
    assert_null(scn_reason_name(7));
    assert_null(scn_reason_name(-1));
}

static void test_good_asi2c(void **state)
{
    fixture *fx = *state;
    scenario s;
    assert_true(load_good(fx, &s, "asi2c.yaml"));
    assert_int_equal(s.nasi2c, 1);
    const scn_asi2c *a = &s.asi2c[0];
    assert_string_equal(a->name, "pyb");
    assert_int_equal(a->node, 0);
    assert_int_equal(a->scl, 0);
    assert_int_equal(a->sda, 2);
    assert_int_equal(a->syn, 5);
    assert_int_equal(a->ack, 4);
    assert_true(a->reset);
    assert_int_equal(a->reset_level, 0);
    assert_int_equal(a->reset_pulse_ps, 50 * MS);
    assert_int_equal(a->t_poll_ps, 20 * MS);
    assert_int_equal(a->rxbufsize, 300);
    assert_true(a->arm_set && a->read_set);
    assert_int_equal(a->arm_ps, 2000000ull);
    assert_int_equal(a->app_read_ps, 3 * MS);
    assert_int_equal(a->compat, SCN_COMPAT_MICROPYTHON_V3);
    assert_int_equal(a->stats_every_ps, 5 * S);
    assert_int_equal(a->traffic_lines, 100);
    assert_int_equal(a->traffic_every_ps, 100 * MS);
    assert_int_equal(a->traffic_len, 40);
    assert_int_equal(a->traffic_start_ps, 2 * S);
    assert_int_equal(s.nwires, 2);
    assert_string_equal(s.wires[0].name, "link");
    assert_true(s.wires[0].pullup);
    assert_int_equal(s.wires[0].npins, 3);
    assert_int_equal(s.wires[0].pins[0].pin, 12);
    assert_int_equal(s.wires[0].pins[1].node, 1);
    assert_int_equal(s.wires[0].pins[1].pin, 5);
    assert_int_equal(s.wires[0].pins[2].pin, SCN_PIN_RST);
    assert_null(s.wires[1].name);
    assert_false(s.wires[1].pullup);
    assert_int_equal(s.wires[1].pins[0].pin, 16);
    assert_int_equal(s.ntimeline, 7);
    const scn_action *t = s.timeline;
    assert_int_equal(t[0].kind, SCN_ACT_ASI2C_SEND);
    assert_int_equal(t[0].peer, 0);
    assert_int_equal(t[0].text_len, 6);
    assert_int_equal(t[1].kind, SCN_ACT_ASI2C_FAULT);
    assert_int_equal(t[1].fault, SCN_FAULT_NACK);
    assert_int_equal(t[1].count, 3);
    assert_int_equal(t[2].fault, SCN_FAULT_STRETCH);
    assert_int_equal(t[2].duration_ps, 2 * MS);
    assert_int_equal(t[3].fault, SCN_FAULT_SYNC_STUCK);
    assert_int_equal(t[3].level, 0);
    assert_int_equal(t[3].duration_ps, 300 * MS);
    assert_int_equal(t[4].fault, SCN_FAULT_OVERSIZE);
    assert_int_equal(t[5].trigger, SCN_TRIG_EXCHANGE);
    assert_int_equal(t[5].on_node, 0);
    assert_int_equal(t[5].exchange, 1500);
    assert_int_equal(t[5].delay_ps, 100000000ull);
    assert_int_equal(t[5].crash, SCN_CRASH_EXCEPTION);
    assert_int_equal(s.nexpects, 4);
    assert_int_equal(s.expects[0].kind, SCN_EXP_WAIT_ASI2C);
    assert_true(s.expects[0].on_peer);
    assert_int_equal(s.expects[1].stat, SCN_STAT_NBOOTS);
    assert_int_equal(s.expects[1].min, 1);
    assert_int_equal(s.expects[1].max, 6);
    assert_true(s.expects[2].on_peer);
    assert_int_equal(s.expects[2].stat, SCN_STAT_NONE);
    assert_false(s.expects[3].on_peer);
    scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_hello, setup, teardown),

        cmocka_unit_test_setup_teardown(test_good_radio, setup, teardown),

        cmocka_unit_test_setup_teardown(test_radio_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_two_nodes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_asi2c, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_firmware_search, setup, teardown),
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
