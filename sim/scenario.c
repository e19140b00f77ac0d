/* sim/scenario.c — see scenario.h; docs/scenarios.md is the user reference.
 *
 * The file is read whole (at most 1 MB) and parsed twice by libyaml: the event API first, which
 * reports syntax errors and rejects aliases, several documents and deep nesting, then the
 * document API, whose tree is walked against the version-1 schema. Files named by the scenario
 * are looked up last, so a structural mistake is reported before a missing firmware file.
 *
 * Every error is one line "FILE:LINE:COL: KEY: problem"; KEY is the path of the offending value
 * ("nodes[1].cpu_mhz", "expect[0].wait-serial.pattern"; indices count from 0). User text quoted
 * in a message is escaped and shortened, so the line stays one line.
 */
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "re_limit.h"
#include "units.h"

#define SCN_MAX_FILE           (1024 * 1024)   /* bytes */
#define SCN_MAX_ENTRIES        10000           /* per list: nodes, timeline, expect, uart */
#define SCN_MAX_DEPTH          64              /* nested mappings and sequences */
#define SCN_MAX_NAME           64              /* node name length */
#define SCN_MAX_CAUSE          63              /* EXCCAUSE is 6 bits */
#define SCN_DEFAULT_OFF_FOR_PS 100000000000ull /* 100 ms */

typedef struct scn_name {
    const char *name;
    int value;
} scn_name;

static const scn_name scn_actions[] = {
    {"reset", SCN_ACT_RESET},
    {"power-off", SCN_ACT_POWER_OFF},
    {"power-on", SCN_ACT_POWER_ON},
    {"crash", SCN_ACT_CRASH},
    {"uart-inject", SCN_ACT_UART_INJECT},
    {"gpio", SCN_ACT_GPIO},
    {"asi2c-send", SCN_ACT_ASI2C_SEND},
    {"asi2c-fault", SCN_ACT_ASI2C_FAULT},
    {"radio-off", SCN_ACT_RADIO_OFF},
    {"radio-on", SCN_ACT_RADIO_ON},
    {"move", SCN_ACT_MOVE},
    {"partition", SCN_ACT_PARTITION},
    {"heal", SCN_ACT_HEAL},
    {"link-loss", SCN_ACT_LINK_LOSS},
};

static const scn_name scn_faults[] = {
    {"nack", SCN_FAULT_NACK},
    {"stretch", SCN_FAULT_STRETCH},
    {"sync-stuck", SCN_FAULT_SYNC_STUCK},
    {"oversize", SCN_FAULT_OVERSIZE},
};

static const scn_name scn_compats[] = {
    {"none", SCN_COMPAT_NONE},
    {"micropython-v3", SCN_COMPAT_MICROPYTHON_V3},
};

static const scn_name scn_stats[] = {
    {"nboots", SCN_STAT_NBOOTS},
    {"exchanges", SCN_STAT_EXCHANGES},
    {"lines_tx", SCN_STAT_LINES_TX},
    {"lines_rx", SCN_STAT_LINES_RX},
    {"lost", SCN_STAT_LOST},
    {"duplicated", SCN_STAT_DUPLICATED},
    {"reordered", SCN_STAT_REORDERED},
    {"block_max_us", SCN_STAT_BLOCK_MAX_US},
    {"recovery_max_us", SCN_STAT_RECOVERY_MAX_US},
    {"contentions", SCN_STAT_CONTENTIONS},
};

/* GPIO levels: what a gpio action drives (release: stop driving) and what wait-gpio waits for. */
static const scn_name scn_levels[] = {
    {"0", 0}, {"1", 1}, {"low", 0}, {"high", 1}, {"release", -1},
};
#define SCN_GPIO_PINS 16 /* GPIO0..15; GPIO16 is an RTC pin (lx106.md §3.5) */

static const scn_name scn_crashes[] = {
    {"halt", SCN_CRASH_HALT},
    {"hang", SCN_CRASH_HANG},
    {"exception", SCN_CRASH_EXCEPTION},
    {"reset", SCN_CRASH_RESET},
    {"power-cycle", SCN_CRASH_POWER_CYCLE},
};

static const scn_name scn_exits[] = {
    {"fault", SCN_EXIT_FAULT},
    {"halt", SCN_EXIT_HALT},
    {"any", SCN_EXIT_ANY},
};

static const scn_name scn_steps[] = {
    {"wait-serial", SCN_EXP_WAIT_SERIAL},
    {"expect-exit", SCN_EXP_EXIT},
    {"expect-reset-reason", SCN_EXP_RESET_REASON},
    {"counter", SCN_EXP_COUNTER},
    {"wait-gpio", SCN_EXP_WAIT_GPIO},
    {"wait-asi2c", SCN_EXP_WAIT_ASI2C},
};

/* protocols.md C.7, enum rst_reason. */
static const scn_name scn_reasons[] = {
    {"power-on", 0},     {"hw-wdt", 1},     {"exception", 2}, {"soft-wdt", 3},
    {"soft-restart", 4}, {"deep-sleep", 5}, {"external", 6},
};

#define SCN_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Per-node values kept while loading: the YAML nodes of name, firmware and flash. */
typedef struct scn_aux {
    yaml_node_t *name, *firmware, *flash;
} scn_aux;

/* A node name with its index, sorted by name for lookups and duplicate detection. */
typedef struct scn_byname {
    const char *name;
    size_t index;
} scn_byname;

typedef struct scn_ctx {
    scenario *s;
    const char *file; /* as given, for messages */
    const char *text; /* file contents */
    size_t len;
    const char *fwpath;
    yaml_document_t *doc;
    const yaml_node_t *duration; /* for "after the end" messages */
    scn_aux *aux;
    scn_byname *byname;
    char *err;
    size_t errsize;
} scn_ctx;

/* ---- messages ---- */

/* Copies user text into buf for a message: quoted-style escapes for anything not printable,
 * at most 40 characters, "..." when shortened. */
static const char *scn_show(const char *p, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        char tmp[8];
        if (ch == '\n')
            snprintf(tmp, sizeof(tmp), "\\n");
        else if (ch == '\t')
            snprintf(tmp, sizeof(tmp), "\\t");
        else if (ch < 0x20 || ch == 0x7F)
            snprintf(tmp, sizeof(tmp), "\\x%02x", ch);
        else {
            tmp[0] = (char)ch;
            tmp[1] = 0;
        }
        size_t t = strlen(tmp);
        if (i >= 40 || o + t + 4 > size) {
            if (o + 4 <= size) {
                memcpy(buf + o, "...", 3);
                o += 3;
            }
            break;
        }
        memcpy(buf + o, tmp, t);
        o += t;
    }
    if (size) buf[o < size ? o : size - 1] = 0;
    return buf;
}

/* Writes "FILE:LINE:COL: KEY: problem" (KEY and the position optional) and returns false. */
static bool scn_vfail(scn_ctx *c, unsigned line, unsigned col, const char *key, const char *fmt,
                      va_list ap)
{
    char msg[768];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (!c->errsize) return false;
    if (line && key && *key)
        snprintf(c->err, c->errsize, "%s:%u:%u: %s: %s", c->file, line, col, key, msg);
    else if (line)
        snprintf(c->err, c->errsize, "%s:%u:%u: %s", c->file, line, col, msg);
    else
        snprintf(c->err, c->errsize, "%s: %s", c->file, msg);
    for (char *p = c->err; *p; p++) /* one line, whatever the file name holds */
        if ((unsigned char)*p < 0x20) *p = '?';
    return false;
}

static bool scn_fail_at(scn_ctx *c, unsigned line, unsigned col, const char *key, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));
static bool scn_fail_at(scn_ctx *c, unsigned line, unsigned col, const char *key, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_vfail(c, line, col, key, fmt, ap);
    va_end(ap);
    return false;
}

/* An error at the start of a YAML node (libyaml marks count from 0). */
static bool scn_fail(scn_ctx *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool scn_fail(scn_ctx *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scn_vfail(c, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1, key, fmt,
              ap);
    va_end(ap);
    return false;
}

static const char *scn_list(const scn_name *tab, size_t n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", tab[i].name);
        if (w < 0) break;
        o += (size_t)w;
    }
    return buf;
}

/* ---- YAML node helpers ---- */

static yaml_node_t *scn_get(scn_ctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

static const char *scn_sval(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A plain empty scalar, "~" or "null": YAML's null (a key given without a value). */
static bool scn_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = scn_sval(n);
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* "a mapping", "a sequence", "nothing" or the quoted scalar, for "expected X, got Y". */
static const char *scn_what(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type == YAML_MAPPING_NODE) return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE) return "a sequence";
    if (scn_is_null(n)) return "nothing";
    char shown[200];
    scn_show(scn_sval(n), n->data.scalar.length, shown, sizeof(shown));
    snprintf(buf, size, "'%s'", shown);
    return buf;
}

static bool scn_want(scn_ctx *c, const yaml_node_t *n, const char *key, yaml_node_type_t type)
{
    if (n->type == type) return true;
    char buf[256];
    const char *want = type == YAML_MAPPING_NODE    ? "a mapping"
                       : type == YAML_SEQUENCE_NODE ? "a sequence"
                                                    : "a single value";
    return scn_fail(c, n, key, "expected %s, got %s", want, scn_what(n, buf, sizeof(buf)));
}

static bool scn_key_is(const yaml_node_t *k, const char *name)
{
    return k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(name) &&
           !memcmp(k->data.scalar.value, name, k->data.scalar.length);
}

/* Matches the keys of map against keys[] (only those with their bit set in allowed): vals[i] and
 * keyn[i] get the value and key node of keys[i], or NULL. Unknown and repeated keys are errors. */
static bool scn_fields(scn_ctx *c, yaml_node_t *map, const char *path, const char *const *keys,
                       size_t nkeys, unsigned allowed, yaml_node_t **vals, yaml_node_t **keyn)
{
    for (size_t i = 0; i < nkeys; i++)
        vals[i] = keyn[i] = NULL;
    if (!scn_want(c, map, path, YAML_MAPPING_NODE)) return false;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = scn_get(c, p->key), *v = scn_get(c, p->value);
        if (!k || !v) return scn_fail(c, map, path, "malformed mapping");
        if (k->type != YAML_SCALAR_NODE)
            return scn_fail(c, k, path, "keys must be plain names, not %s",
                            k->type == YAML_MAPPING_NODE ? "mappings" : "sequences");
        size_t i = 0;
        while (i < nkeys && !(((allowed >> i) & 1) && scn_key_is(k, keys[i])))
            i++;
        char shown[200];
        if (i == nkeys) {
            char list[512];
            size_t o = 0;
            list[0] = 0;
            for (size_t j = 0; j < nkeys && o < sizeof(list); j++) {
                if (!((allowed >> j) & 1)) continue;
                int w = snprintf(list + o, sizeof(list) - o, "%s%s", o ? ", " : "", keys[j]);
                if (w > 0) o += (size_t)w;
            }
            return scn_fail(c, k, path, "unknown key '%s' (expected one of: %s)",
                            scn_show(scn_sval(k), k->data.scalar.length, shown, sizeof(shown)),
                            list);
        }
        if (vals[i])
            return scn_fail(c, k, path, "duplicate key '%s' (first given at %u:%u)", keys[i],
                            (unsigned)keyn[i]->start_mark.line + 1,
                            (unsigned)keyn[i]->start_mark.column + 1);
        vals[i] = v;
        keyn[i] = k;
    }
    return true;
}

/* Key paths ("nodes[1].uart[0].at") are short; a longer one is cut, never overflowed. */
static void scn_pathf(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void scn_pathf(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

static void scn_join(char *out, size_t size, const char *path, const char *key)
{
    if (path && *path)
        scn_pathf(out, size, "%s.%s", path, key);
    else
        scn_pathf(out, size, "%s", key);
}

static bool scn_missing(scn_ctx *c, const yaml_node_t *map, const char *path, const char *key)
{
    return scn_fail(c, map, path, "missing required key '%s'", key);
}

/* ---- values ---- */

/* Parses a plain decimal integer with an optional '-'. */
static bool scn_parse_int(const yaml_node_t *n, bool *neg, uint64_t *mag, bool *overflow)
{
    *neg = false;
    *mag = 0;
    *overflow = false;
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *p = scn_sval(n);
    if (*p == '-') {
        *neg = true;
        p++;
    }
    if (*p < '0' || *p > '9') return false;
    for (; *p >= '0' && *p <= '9'; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (*mag > (UINT64_MAX - d) / 10)
            *overflow = true;
        else
            *mag = *mag * 10 + d;
    }
    return *p == 0 && (size_t)(p - scn_sval(n)) == n->data.scalar.length;
}

static bool scn_not_int(scn_ctx *c, const yaml_node_t *n, const char *key)
{
    char buf[256];
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return scn_fail(c, n, key, "expected an integer, got the quoted text %s",
                        scn_what(n, buf, sizeof(buf)));
    return scn_fail(c, n, key, "expected an integer, got %s", scn_what(n, buf, sizeof(buf)));
}

static bool scn_u64(scn_ctx *c, const yaml_node_t *n, const char *key, uint64_t *out)
{
    bool neg, ovf;
    uint64_t mag;
    char buf[256];
    if (!scn_parse_int(n, &neg, &mag, &ovf)) return scn_not_int(c, n, key);
    if (neg && (mag || ovf))
        return scn_fail(c, n, key, "must be a non-negative integer (got %s)",
                        scn_what(n, buf, sizeof(buf)));
    if (ovf) return scn_fail(c, n, key, "number too large (got %s)", scn_what(n, buf, sizeof(buf)));
    *out = mag;
    return true;
}

/* An integer in lo..hi; range describes the allowed values for the message. */
static bool scn_int(scn_ctx *c, const yaml_node_t *n, const char *key, int64_t lo, int64_t hi,
                    const char *range, int64_t *out)
{
    bool neg, ovf;
    uint64_t mag;
    char buf[256];
    if (!scn_parse_int(n, &neg, &mag, &ovf)) return scn_not_int(c, n, key);
    int64_t v = 0;
    bool in = !ovf && mag <= (uint64_t)INT64_MAX;
    if (in) {
        v = neg ? -(int64_t)mag : (int64_t)mag;
        in = v >= lo && v <= hi;
    }
    if (!in)
        return scn_fail(c, n, key, "must be %s (got %s)", range, scn_what(n, buf, sizeof(buf)));
    *out = v;
    return true;
}

/* A duration with a unit; positive: must be > 0 (else >= 0). */
static bool scn_duration(scn_ctx *c, const yaml_node_t *n, const char *key, bool positive,
                         uint64_t *ps)
{
    char buf[256];
    if (n->type != YAML_SCALAR_NODE || scn_is_null(n))
        return scn_fail(c, n, key, "expected a duration with a unit (such as 500ms or 2s), got %s",
                        scn_what(n, buf, sizeof(buf)));
    const char *why = "bad duration";
    if (strlen(scn_sval(n)) != n->data.scalar.length || !sim_parse_duration(scn_sval(n), ps, &why))
        return scn_fail(c, n, key, "bad duration %s: %s", scn_what(n, buf, sizeof(buf)), why);
    if (positive && *ps == 0)
        return scn_fail(c, n, key, "must be greater than 0 (got %s)",
                        scn_what(n, buf, sizeof(buf)));
    return true;
}

/* Non-empty text (any scalar style; YAML escapes already decoded, NUL bytes allowed). */
static bool scn_text(scn_ctx *c, const yaml_node_t *n, const char *key, char **out, size_t *len)
{
    char buf[256];
    if (n->type != YAML_SCALAR_NODE || scn_is_null(n))
        return scn_fail(c, n, key, "expected text, got %s", scn_what(n, buf, sizeof(buf)));
    size_t l = n->data.scalar.length;
    if (!l) return scn_fail(c, n, key, "must not be empty");
    char *t = malloc(l + 1);
    if (!t) return scn_fail(c, n, key, "out of memory");
    memcpy(t, n->data.scalar.value, l);
    t[l] = 0;
    *out = t;
    if (len) *len = l;
    return true;
}

/* Text that is also a C string (no NUL inside). */
static bool scn_string(scn_ctx *c, const yaml_node_t *n, const char *key, char **out)
{
    size_t len;
    if (!scn_text(c, n, key, out, &len)) return false;
    if (strlen(*out) != len) return scn_fail(c, n, key, "must not contain a NUL character");
    return true;
}

static bool scn_regex_load(scn_ctx *c, const yaml_node_t *n, const char *key, scn_regex *r)
{
    if (!scn_string(c, n, key, &r->text)) return false;
    char limit[128], shown[200];
    if (!re_limit_check(r->text, limit, sizeof(limit)))
        return scn_fail(c, n, key, "regular expression '%s' is too complex: %s",
                        scn_show(r->text, strlen(r->text), shown, sizeof(shown)), limit);
    int rc = regcomp(&r->re, r->text, REG_EXTENDED);
    if (rc) {
        char why[256];
        regerror(rc, &r->re, why, sizeof(why));
        return scn_fail(c, n, key, "invalid regular expression '%s': %s",
                        scn_show(r->text, strlen(r->text), shown, sizeof(shown)), why);
    }
    r->compiled = true;
    return true;
}

static bool scn_enum(scn_ctx *c, const yaml_node_t *n, const char *key, const char *what,
                     const scn_name *tab, size_t ntab, int *out)
{
    char buf[256], list[256];
    if (n->type == YAML_SCALAR_NODE && !scn_is_null(n))
        for (size_t i = 0; i < ntab; i++)
            if (scn_key_is(n, tab[i].name)) {
                *out = tab[i].value;
                return true;
            }
    if (n->type == YAML_SCALAR_NODE && !scn_is_null(n))
        return scn_fail(c, n, key, "unknown %s %s (expected one of: %s)", what,
                        scn_what(n, buf, sizeof(buf)), scn_list(tab, ntab, list, sizeof(list)));
    return scn_fail(c, n, key, "expected a %s (one of: %s), got %s", what,
                    scn_list(tab, ntab, list, sizeof(list)), scn_what(n, buf, sizeof(buf)));
}

/* A sequence (an omitted or null value counts as empty when optional). */
static bool scn_seq(scn_ctx *c, yaml_node_t *n, const char *key, size_t *count)
{
    *count = 0;
    if (!n || scn_is_null(n)) return true;
    if (!scn_want(c, n, key, YAML_SEQUENCE_NODE)) return false;
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt > SCN_MAX_ENTRIES)
        return scn_fail(c, n, key, "too many entries (%zu; the limit is %d)", cnt, SCN_MAX_ENTRIES);
    *count = cnt;
    return true;
}

static yaml_node_t *scn_item(scn_ctx *c, yaml_node_t *seq, size_t i)
{
    return scn_get(c, seq->data.sequence.items.start[i]);
}

/* ---- node names ---- */

static int scn_byname_cmp(const void *a, const void *b)
{
    const scn_byname *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (r) return r;
    return x->index < y->index ? -1 : x->index > y->index;
}

static bool scn_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n > SCN_MAX_NAME) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        bool alnum =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || (ch != '_' && ch != '-' && ch != '.'))) return false;
    }
    return true;
}

/* Sorts the node names and rejects the first repeated one (in file order). */
static bool scn_index_names(scn_ctx *c)
{
    scenario *s = c->s;
    c->byname = calloc(s->nnodes, sizeof(*c->byname));
    if (!c->byname) return scn_fail_at(c, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < s->nnodes; i++)
        c->byname[i] = (scn_byname){s->nodes[i].name, i};
    qsort(c->byname, s->nnodes, sizeof(*c->byname), scn_byname_cmp);
    size_t dup = SIZE_MAX, first = 0, group = 0;
    for (size_t k = 1; k < s->nnodes; k++) {
        if (strcmp(c->byname[k].name, c->byname[k - 1].name)) {
            group = k;
            continue;
        }
        if (c->byname[k].index < dup) {
            dup = c->byname[k].index;
            first = c->byname[group].index;
        }
    }
    if (dup == SIZE_MAX) return true;
    char key[64];
    scn_pathf(key, sizeof(key), "nodes[%zu].name", dup);
    const yaml_node_t *fn = c->aux[first].name;
    return scn_fail(c, c->aux[dup].name, key, "duplicate node name '%s' (first used at %u:%u)",
                    s->nodes[dup].name, (unsigned)fn->start_mark.line + 1,
                    (unsigned)fn->start_mark.column + 1);
}

/* The node a step or action applies to: n names it; when n is NULL the only node is meant. */
static bool scn_node_ref(scn_ctx *c, const yaml_node_t *n, const yaml_node_t *entry,
                         const char *path, const char *key, size_t *out)
{
    scenario *s = c->s;
    if (!n) {
        if (s->nnodes == 1) {
            *out = 0;
            return true;
        }
        return scn_fail(c, entry, path,
                        "missing required key '%s' (it may be left out only when there is "
                        "one node)",
                        key);
    }
    char k[96], buf[256];
    scn_join(k, sizeof(k), path, key);
    if (n->type != YAML_SCALAR_NODE || scn_is_null(n))
        return scn_fail(c, n, k, "expected a node name, got %s", scn_what(n, buf, sizeof(buf)));
    const char *name = scn_sval(n);
    size_t lo = 0, hi = s->nnodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->byname[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->nnodes && !strcmp(c->byname[lo].name, name) &&
        strlen(name) == n->data.scalar.length) {
        *out = c->byname[lo].index;
        return true;
    }
    char names[256];
    size_t o = 0;
    names[0] = 0;
    for (size_t i = 0; i < s->nnodes && i < 8; i++) {
        int w = snprintf(names + o, sizeof(names) - o, "%s%s", i ? ", " : "", s->nodes[i].name);
        if (w < 0 || (size_t)w >= sizeof(names) - o) break;
        o += (size_t)w;
    }
    return scn_fail(c, n, k, "unknown node %s (the nodes are: %s%s)", scn_what(n, buf, sizeof(buf)),
                    names, s->nnodes > 8 ? ", ..." : "");
}

/* ---- the schema ---- */

/* A time in the run: >= 0 and not after the end. */
static bool scn_time(scn_ctx *c, const yaml_node_t *n, const char *key, uint64_t *ps)
{
    if (!scn_duration(c, n, key, false, ps)) return false;
    if (*ps > c->s->duration_ps) {
        char buf[256], dur[256];
        return scn_fail(c, n, key, "%s is after the end of the run (duration: %s)",
                        scn_what(n, buf, sizeof(buf)), scn_what(c->duration, dur, sizeof(dur)));
    }
    return true;
}

static bool scn_parse_uart(scn_ctx *c, yaml_node_t *e, const char *path, scn_uart_input *u)
{
    static const char *const keys[] = {"at", "text"};
    yaml_node_t *v[2], *kn[2];
    char k[96];
    if (!scn_fields(c, e, path, keys, 2, 3, v, kn)) return false;
    if (!v[0]) return scn_missing(c, e, path, "at");
    if (!v[1]) return scn_missing(c, e, path, "text");
    scn_join(k, sizeof(k), path, "at");
    if (!scn_time(c, v[0], k, &u->at_ps)) return false;
    scn_join(k, sizeof(k), path, "text");
    return scn_text(c, v[1], k, &u->text, &u->len);
}

enum { RT_PPM, RT_WANDER, RT_JITTER, RT_COUNTER, RT_KEYS };

/* nodes[].rtc: the RTC slow clock (docs/scenarios.md). */
static bool scn_parse_rtc(scn_ctx *c, yaml_node_t *e, const char *path, scn_node *nd)
{
    static const char *const keys[RT_KEYS] = {"ppm", "wander_ppm", "cal_jitter_ppm", "counter"};
    yaml_node_t *v[RT_KEYS], *kn[RT_KEYS];
    char k[96];
    int64_t x;
    if (!scn_fields(c, e, path, keys, RT_KEYS, (1u << RT_KEYS) - 1, v, kn)) return false;
    if (v[RT_PPM]) {
        scn_join(k, sizeof(k), path, "ppm");
        if (!scn_int(c, v[RT_PPM], k, -300000, 300000, "between -300000 and 300000", &x))
            return false;
        nd->rtc_ppm_set = true;
        nd->rtc_ppm = (int32_t)x;
    }
    if (v[RT_WANDER]) {
        scn_join(k, sizeof(k), path, "wander_ppm");
        if (!scn_int(c, v[RT_WANDER], k, 0, 10000, "between 0 and 10000", &x)) return false;
        nd->rtc_wander_ppm = (uint32_t)x;
    }
    if (v[RT_JITTER]) {
        scn_join(k, sizeof(k), path, "cal_jitter_ppm");
        if (!scn_int(c, v[RT_JITTER], k, 0, 10000, "between 0 and 10000", &x)) return false;
        nd->rtc_jitter_set = true;
        nd->rtc_jitter_ppm = (uint32_t)x;
    }
    if (v[RT_COUNTER]) {
        scn_join(k, sizeof(k), path, "counter");
        if (!scn_int(c, v[RT_COUNTER], k, 0, UINT32_MAX, "between 0 and 4294967295", &x))
            return false;
        nd->rtc_counter = (uint32_t)x;
    }
    return true;
}

/* A plain true or false. */
static bool scn_bool(scn_ctx *c, const yaml_node_t *n, const char *key, bool *out)
{
    char buf[256];
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (!strcmp(scn_sval(n), "true")) return *out = true;
        if (!strcmp(scn_sval(n), "false")) return !(*out = false);
    }
    return scn_fail(c, n, key, "expected true or false, got %s", scn_what(n, buf, sizeof(buf)));
}

/* A plain number (integer or decimal) within [lo, hi]. */
static bool scn_real(scn_ctx *c, const yaml_node_t *n, const char *key, double lo, double hi,
                     double *out)
{
    char buf[256];
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        n->data.scalar.length > 0) {
        char *end;
        double x = strtod(scn_sval(n), &end);
        if (*end == 0 && isfinite(x)) {
            if (x >= lo && x <= hi) {
                *out = x;
                return true;
            }
            return scn_fail(c, n, key, "must be between %g and %g (got %s)", lo, hi,
                            scn_what(n, buf, sizeof(buf)));
        }
    }
    return scn_fail(c, n, key, "expected a number, got %s", scn_what(n, buf, sizeof(buf)));
}

/* "aa:bb:cc:dd:ee:ff", a unicast address. */
static bool scn_mac(scn_ctx *c, const yaml_node_t *n, const char *key, uint8_t mac[6])
{
    char buf[256];
    const char *t = n->type == YAML_SCALAR_NODE ? scn_sval(n) : "";
    unsigned b[6];
    int used = 0;
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 17 &&
        sscanf(t, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &used) ==
            6 &&
        used == 17) {
        for (int i = 0; i < 6; i++)
            mac[i] = (uint8_t)b[i];
        if (mac[0] & 1)
            return scn_fail(c, n, key, "%s is a group address (bit 0 of the first byte is set)",
                            scn_what(n, buf, sizeof(buf)));
        return true;
    }
    return scn_fail(c, n, key, "expected a MAC address like 5c:cf:7f:00:00:01, got %s",
                    scn_what(n, buf, sizeof(buf)));
}

/* [x, y] or [x, y, z] in metres. */
static bool scn_position(scn_ctx *c, yaml_node_t *n, const char *key, double pos[3])
{
    char buf[256];
    if (n->type != YAML_SEQUENCE_NODE)
        return scn_fail(c, n, key, "expected [x, y] or [x, y, z] in metres, got %s",
                        scn_what(n, buf, sizeof(buf)));
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt < 2 || cnt > 3) return scn_fail(c, n, key, "expected 2 or 3 coordinates, got %zu", cnt);
    pos[2] = 0;
    for (size_t i = 0; i < cnt; i++) {
        char k[96];
        scn_pathf(k, sizeof(k), "%s[%zu]", key, i);
        if (!scn_real(c, scn_item(c, n, i), k, -1e6, 1e6, &pos[i])) return false;
    }
    return true;
}

/* config: {KEY: scalar} -> "KEY=value\n" text. */
static bool scn_config(scn_ctx *c, yaml_node_t *n, const char *key, char **out, size_t *len)
{
    char buf[256];
    if (!scn_want(c, n, key, YAML_MAPPING_NODE)) return false;
    char *t = calloc(1, SCN_CONFIG_MAX);
    if (!t) return scn_fail(c, n, key, "out of memory");
    size_t o = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_get(c, p->key), *v = scn_get(c, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE || v->type != YAML_SCALAR_NODE) {
            free(t);
            return scn_fail(c, k ? k : n, key, "config values are plain scalars");
        }
        const char *ks = scn_sval(k), *vs = scn_sval(v);
        bool ok = k->data.scalar.length > 0 && strlen(ks) == k->data.scalar.length &&
                  strlen(vs) == v->data.scalar.length;
        for (const char *q = ks; ok && *q; q++)
            ok = isalnum((unsigned char)*q) || *q == '_';
        for (const char *q = vs; ok && *q; q++)
            ok = *q > ' ' && *q < 127 && *q != '=';
        if (!ok) {
            free(t);
            return scn_fail(c, k, key,
                            "bad config entry %s (keys: letters, digits, '_'; values: no "
                            "spaces or '=')",
                            scn_what(k, buf, sizeof(buf)));
        }
        int w = snprintf(t + o, SCN_CONFIG_MAX - o, "%s=%s\n", ks, vs);
        if (w < 0 || (size_t)w >= SCN_CONFIG_MAX - o) {
            free(t);
            return scn_fail(c, n, key, "config is longer than %u bytes", SCN_CONFIG_MAX - 1);
        }
        o += (size_t)w;
    }
    *out = t;
    *len = o;
    return true;
}

enum {
    N_NAME,
    N_FIRMWARE,
    N_FLASH,
    N_CPU_MHZ,
    N_CLOCK_PPM,
    N_BOOT_OFFSET,
    N_UART,
    N_RTC,
    N_GPIO16_RST,
    N_MAC,
    N_CHANNEL,
    N_POSITION,
    N_CONFIG,
    N_KEYS
};

static bool scn_parse_node(scn_ctx *c, yaml_node_t *e, const char *path, size_t index)
{
    static const char *const keys[N_KEYS] = {
        "name", "firmware",   "flash", "cpu_mhz", "clock_ppm", "boot_offset", "uart",
        "rtc",  "gpio16_rst", "mac",   "channel", "position",  "config"};
    scn_node *nd = &c->s->nodes[index];
    yaml_node_t *v[N_KEYS], *kn[N_KEYS];
    char k[96], buf[256];
    if (!scn_fields(c, e, path, keys, N_KEYS, (1u << N_KEYS) - 1, v, kn)) return false;
    nd->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    nd->cpu_mhz = 80;
    if (!v[N_NAME]) return scn_missing(c, e, path, "name");
    scn_join(k, sizeof(k), path, "name");
    if (!scn_string(c, v[N_NAME], k, &nd->name)) return false;
    if (!scn_name_ok(nd->name))
        return scn_fail(c, v[N_NAME], k,
                        "bad node name %s (use 1 to %d letters, digits, '_', '-' or '.', "
                        "starting with a letter or digit)",
                        scn_what(v[N_NAME], buf, sizeof(buf)), SCN_MAX_NAME);
    c->aux[index].name = v[N_NAME];
    if (!v[N_FIRMWARE] && !v[N_FLASH])
        return scn_fail(c, e, path,
                        "needs 'firmware' (an ELF or image file) or 'flash' (a flash "
                        "dump), or both");
    if (v[N_FIRMWARE]) {
        scn_join(k, sizeof(k), path, "firmware");
        if (!scn_string(c, v[N_FIRMWARE], k, &nd->firmware)) return false;
        c->aux[index].firmware = v[N_FIRMWARE];
    }
    if (v[N_FLASH]) {
        scn_join(k, sizeof(k), path, "flash");
        if (!scn_string(c, v[N_FLASH], k, &nd->flash)) return false;
        c->aux[index].flash = v[N_FLASH];
    }
    int64_t x;
    if (v[N_CPU_MHZ]) {
        scn_join(k, sizeof(k), path, "cpu_mhz");
        if (!scn_int(c, v[N_CPU_MHZ], k, 80, 160, "80 or 160", &x)) return false;
        if (x != 80 && x != 160)
            return scn_fail(c, v[N_CPU_MHZ], k, "must be 80 or 160 (got %s)",
                            scn_what(v[N_CPU_MHZ], buf, sizeof(buf)));
        nd->cpu_mhz = (uint32_t)x;
    }
    if (v[N_CLOCK_PPM]) {
        scn_join(k, sizeof(k), path, "clock_ppm");
        if (!scn_int(c, v[N_CLOCK_PPM], k, -500, 500, "between -500 and 500", &x)) return false;
        nd->clock_ppm = (int32_t)x;
    }
    if (v[N_BOOT_OFFSET]) {
        scn_join(k, sizeof(k), path, "boot_offset");
        if (!scn_time(c, v[N_BOOT_OFFSET], k, &nd->boot_offset_ps)) return false;
    }
    if (v[N_RTC]) {
        scn_join(k, sizeof(k), path, "rtc");
        if (!scn_parse_rtc(c, v[N_RTC], k, nd)) return false;
    }
    if (v[N_GPIO16_RST]) {
        scn_join(k, sizeof(k), path, "gpio16_rst");
        if (!scn_bool(c, v[N_GPIO16_RST], k, &nd->gpio16_rst)) return false;
    }
    if (v[N_MAC]) {
        scn_join(k, sizeof(k), path, "mac");
        if (!scn_mac(c, v[N_MAC], k, nd->mac)) return false;
        nd->mac_set = true;
        c->s->radio.present = true;
    } else {
        /* 5c:cf:7f (Espressif) + the node number */
        uint32_t id = (uint32_t)index + 1u;
        const uint8_t mac[6] = {0x5C,       0xCF, 0x7F, (uint8_t)(id >> 16), (uint8_t)(id >> 8),
                                (uint8_t)id};
        memcpy(nd->mac, mac, 6);
    }
    if (v[N_CHANNEL]) {
        scn_join(k, sizeof(k), path, "channel");
        if (!scn_int(c, v[N_CHANNEL], k, 1, 14, "between 1 and 14", &x)) return false;
        nd->channel = (unsigned)x;
        c->s->radio.present = true;
    }
    if (v[N_POSITION]) {
        scn_join(k, sizeof(k), path, "position");
        if (!scn_position(c, v[N_POSITION], k, nd->xyz)) return false;
        nd->pos_set = true;
        c->s->radio.present = true;
    }
    if (v[N_CONFIG]) {
        scn_join(k, sizeof(k), path, "config");
        if (!scn_config(c, v[N_CONFIG], k, &nd->config, &nd->config_len)) return false;
        c->s->radio.present = true; /* configured firmware (espnow_node) expects the SDK model */
    }
    size_t n;
    scn_join(k, sizeof(k), path, "uart");
    if (!scn_seq(c, v[N_UART], k, &n)) return false;
    if (n) {
        nd->uart = calloc(n, sizeof(*nd->uart));
        if (!nd->uart) return scn_fail(c, v[N_UART], k, "out of memory");
        nd->nuart = n;
        for (size_t i = 0; i < n; i++) {
            char p[96];
            scn_pathf(p, sizeof(p), "%s[%zu]", k, i);
            if (!scn_parse_uart(c, scn_item(c, v[N_UART], i), p, &nd->uart[i])) return false;
        }
    }
    return true;
}

/* pin (0..15) and level of a gpio action or a wait-gpio step; release only if may_release. */
static bool scn_gpio_args(scn_ctx *c, yaml_node_t *e, const char *path, yaml_node_t *pin,
                          yaml_node_t *level, bool may_release, unsigned *pin_out, int *level_out)
{
    char k[96];
    int64_t x;
    if (!pin) return scn_missing(c, e, path, "pin");
    if (!level) return scn_missing(c, e, path, "level");
    scn_join(k, sizeof(k), path, "pin");
    if (!scn_int(c, pin, k, 0, SCN_GPIO_PINS - 1, "a GPIO number from 0 to 15", &x)) return false;
    *pin_out = (unsigned)x;
    scn_join(k, sizeof(k), path, "level");
    size_t n = SCN_COUNT(scn_levels) - (may_release ? 0 : 1);
    return scn_enum(c, level, k, "level", scn_levels, n, level_out);
}

/* ---- wires and asi2c peers ---- */

/* The asi2c peer n names (n is never NULL here: a peer is always named). */
static bool scn_peer_ref(scn_ctx *c, const yaml_node_t *n, const char *key, size_t *out)
{
    char buf[256];
    if (n->type == YAML_SCALAR_NODE && !scn_is_null(n))
        for (size_t i = 0; i < c->s->nasi2c; i++)
            if (scn_key_is(n, c->s->asi2c[i].name)) {
                *out = i;
                return true;
            }
    if (!c->s->nasi2c)
        return scn_fail(c, n, key, "unknown peer %s (the scenario has no asi2c peers)",
                        scn_what(n, buf, sizeof(buf)));
    return scn_fail(c, n, key, "unknown peer %s (the first asi2c peer is '%s')",
                    scn_what(n, buf, sizeof(buf)), c->s->asi2c[0].name);
}

/* A name for a wire or a peer: the node-name rules. */
static bool scn_named(scn_ctx *c, yaml_node_t *n, const char *key, char **out)
{
    char buf[256];
    if (!scn_string(c, n, key, out)) return false;
    if (!scn_name_ok(*out))
        return scn_fail(c, n, key,
                        "bad name %s (use 1 to %d letters, digits, '_', '-' or '.', starting "
                        "with a letter or digit)",
                        scn_what(n, buf, sizeof(buf)), SCN_MAX_NAME);
    return true;
}

/* pin: 0..16 or rst. */
static bool scn_wire_pin_num(scn_ctx *c, const yaml_node_t *n, const char *key, unsigned *out)
{
    int64_t x;
    if (n->type == YAML_SCALAR_NODE && scn_key_is(n, "rst")) {
        *out = SCN_PIN_RST;
        return true;
    }
    if (!scn_int(c, n, key, 0, 16, "a GPIO number from 0 to 16, or rst", &x)) return false;
    *out = (unsigned)x;
    return true;
}

static bool scn_parse_wire(scn_ctx *c, yaml_node_t *e, const char *path, scn_wire *w)
{
    static const char *const keys[] = {"name", "pullup", "pins"};
    yaml_node_t *v[3], *kn[3];
    char k[96];
    if (!scn_fields(c, e, path, keys, 3, 7, v, kn)) return false;
    w->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    if (v[0]) {
        scn_join(k, sizeof(k), path, "name");
        if (!scn_named(c, v[0], k, &w->name)) return false;
    }
    if (v[1]) {
        scn_join(k, sizeof(k), path, "pullup");
        if (!scn_bool(c, v[1], k, &w->pullup)) return false;
    }
    if (!v[2]) return scn_missing(c, e, path, "pins");
    size_t n;
    scn_join(k, sizeof(k), path, "pins");
    if (!scn_seq(c, v[2], k, &n)) return false;
    if (n < 2 || n > 16) return scn_fail(c, v[2], k, "a wire joins 2 to 16 pins (got %zu)", n);
    w->pins = calloc(n, sizeof(*w->pins));
    if (!w->pins) return scn_fail(c, v[2], k, "out of memory");
    w->npins = n;
    for (size_t i = 0; i < n; i++) {
        static const char *const pk[] = {"node", "pin"};
        yaml_node_t *pv[2], *pkn[2];
        char p[96], q[112];
        scn_pathf(p, sizeof(p), "%s[%zu]", k, i);
        yaml_node_t *item = scn_item(c, v[2], i);
        if (!scn_fields(c, item, p, pk, 2, 3, pv, pkn)) return false;
        if (!pv[1]) return scn_missing(c, item, p, "pin");
        if (!scn_node_ref(c, pv[0], item, p, "node", &w->pins[i].node)) return false;
        scn_join(q, sizeof(q), p, "pin");
        if (!scn_wire_pin_num(c, pv[1], q, &w->pins[i].pin)) return false;
        for (size_t j = 0; j < i; j++)
            if (w->pins[j].node == w->pins[i].node && w->pins[j].pin == w->pins[i].pin)
                return scn_fail(c, item, p, "the same pin is listed twice in this wire");
    }
    return true;
}

enum {
    P_NAME,
    P_NODE,
    P_PINS,
    P_RESET,
    P_RESET_LEVEL,
    P_RESET_PULSE,
    P_T_POLL,
    P_RXBUFSIZE,
    P_ARM,
    P_READ,
    P_COMPAT,
    P_STATS,
    P_TRAFFIC,
    P_KEYS
};

static bool scn_parse_asi2c(scn_ctx *c, yaml_node_t *e, const char *path, scn_asi2c *a)
{
    static const char *const keys[P_KEYS] = {
        "name",        "node",        "pins",      "reset",     "reset_level",
        "reset_pulse", "t_poll",      "rxbufsize", "arm_delay", "app_read_delay",
        "compat",      "stats_every", "traffic"};
    yaml_node_t *v[P_KEYS], *kn[P_KEYS];
    char k[96];
    int64_t x;
    if (!scn_fields(c, e, path, keys, P_KEYS, (1u << P_KEYS) - 1, v, kn)) return false;
    a->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    a->scl = 0;
    a->sda = 2;
    a->syn = 5;
    a->ack = 4;
    a->reset = true;
    a->reset_pulse_ps = 200000000000ull;
    a->t_poll_ps = 100000000000ull;
    a->rxbufsize = 200;
    if (!v[P_NAME]) return scn_missing(c, e, path, "name");
    scn_join(k, sizeof(k), path, "name");
    if (!scn_named(c, v[P_NAME], k, &a->name)) return false;
    if (!scn_node_ref(c, v[P_NODE], e, path, "node", &a->node)) return false;
    if (v[P_PINS]) {
        static const char *const pk[] = {"scl", "sda", "syn", "ack"};
        yaml_node_t *pv[4], *pkn[4];
        unsigned *slot[4] = {&a->scl, &a->sda, &a->syn, &a->ack};
        char p[96], q[112];
        scn_join(p, sizeof(p), path, "pins");
        if (!scn_fields(c, v[P_PINS], p, pk, 4, 15, pv, pkn)) return false;
        for (int i = 0; i < 4; i++) {
            if (!pv[i]) continue;
            scn_join(q, sizeof(q), p, pk[i]);
            if (!scn_int(c, pv[i], q, 0, 15, "a GPIO number from 0 to 15", &x)) return false;
            *slot[i] = (unsigned)x;
        }
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < i; j++)
                if (*slot[i] == *slot[j])
                    return scn_fail(c, v[P_PINS], p, "%s and %s are both GPIO%u", pk[j], pk[i],
                                    *slot[i]);
    }
    if (v[P_RESET]) {
        scn_join(k, sizeof(k), path, "reset");
        if (!scn_bool(c, v[P_RESET], k, &a->reset)) return false;
    }
    if (v[P_RESET_LEVEL]) {
        scn_join(k, sizeof(k), path, "reset_level");
        if (!scn_int(c, v[P_RESET_LEVEL], k, 0, 1, "0 or 1", &x)) return false;
        a->reset_level = (int)x;
    }
    if (v[P_RESET_PULSE]) {
        scn_join(k, sizeof(k), path, "reset_pulse");
        if (!scn_duration(c, v[P_RESET_PULSE], k, true, &a->reset_pulse_ps)) return false;
    }
    if (v[P_T_POLL]) {
        scn_join(k, sizeof(k), path, "t_poll");
        if (!scn_duration(c, v[P_T_POLL], k, false, &a->t_poll_ps)) return false;
    }
    if (v[P_RXBUFSIZE]) {
        scn_join(k, sizeof(k), path, "rxbufsize");
        if (!scn_int(c, v[P_RXBUFSIZE], k, 1, 32767, "between 1 and 32767", &x)) return false;
        a->rxbufsize = (uint32_t)x;
    }
    if (v[P_ARM]) {
        scn_join(k, sizeof(k), path, "arm_delay");
        if (!scn_duration(c, v[P_ARM], k, false, &a->arm_ps)) return false;
        a->arm_set = true;
    }
    if (v[P_READ]) {
        scn_join(k, sizeof(k), path, "app_read_delay");
        if (!scn_duration(c, v[P_READ], k, false, &a->app_read_ps)) return false;
        a->read_set = true;
    }
    if (v[P_COMPAT]) {
        int cm;
        scn_join(k, sizeof(k), path, "compat");
        if (!scn_enum(c, v[P_COMPAT], k, "compat mode", scn_compats, SCN_COUNT(scn_compats), &cm))
            return false;
        a->compat = (scn_compat)cm;
    }
    if (v[P_STATS]) {
        scn_join(k, sizeof(k), path, "stats_every");
        if (!scn_duration(c, v[P_STATS], k, true, &a->stats_every_ps)) return false;
    }
    if (v[P_TRAFFIC]) {
        static const char *const tk[] = {"lines", "every", "length", "start"};
        yaml_node_t *tv[4], *tkn[4];
        char p[96], q[112];
        scn_join(p, sizeof(p), path, "traffic");
        if (!scn_fields(c, v[P_TRAFFIC], p, tk, 4, 15, tv, tkn)) return false;
        if (!tv[0]) return scn_missing(c, v[P_TRAFFIC], p, "lines");
        scn_join(q, sizeof(q), p, "lines");
        if (!scn_int(c, tv[0], q, 1, 100000000, "between 1 and 100000000", &x)) return false;
        a->traffic_lines = (uint64_t)x;
        a->traffic_len = 16;
        if (tv[1]) {
            scn_join(q, sizeof(q), p, "every");
            if (!scn_duration(c, tv[1], q, false, &a->traffic_every_ps)) return false;
        }
        if (tv[2]) {
            scn_join(q, sizeof(q), p, "length");
            if (!scn_int(c, tv[2], q, 8, 1000, "between 8 and 1000", &x)) return false;
            a->traffic_len = (uint32_t)x;
        }
        if (tv[3]) {
            scn_join(q, sizeof(q), p, "start");
            if (!scn_time(c, tv[3], q, &a->traffic_start_ps)) return false;
        }
    }
    for (size_t i = 0; i < (size_t)(a - c->s->asi2c); i++) {
        if (!strcmp(c->s->asi2c[i].name, a->name))
            return scn_fail(c, v[P_NAME], k, "duplicate peer name '%s'", a->name);
        if (c->s->asi2c[i].node == a->node)
            return scn_fail(c, e, path, "node '%s' already has an asi2c peer ('%s')",
                            c->s->nodes[a->node].name, c->s->asi2c[i].name);
    }
    return true;
}

/* ---- radio ---- */

static const scn_name scn_models[] = {
    {"perfect", SCN_RADIO_PERFECT},
    {"loss", SCN_RADIO_LOSS},
    {"log-distance", SCN_RADIO_LOG_DISTANCE},
};

static bool scn_parse_ge(scn_ctx *c, yaml_node_t *e, const char *path, scn_ge *g)
{
    static const char *const keys[] = {"p_gb", "p_bg", "loss_good", "loss_bad"};
    yaml_node_t *v[4], *kn[4];
    double *dst[4] = {&g->p_gb, &g->p_bg, &g->loss_good, &g->loss_bad};
    char k[96];
    if (!scn_fields(c, e, path, keys, 4, 15, v, kn)) return false;
    for (int i = 0; i < 4; i++) {
        if (!v[i]) return scn_missing(c, e, path, keys[i]);
        scn_join(k, sizeof(k), path, keys[i]);
        if (!scn_real(c, v[i], k, 0, 1, dst[i])) return false;
    }
    g->on = true;
    return true;
}

static bool scn_parse_link(scn_ctx *c, yaml_node_t *e, const char *path, scn_radio_link *l)
{
    static const char *const keys[] = {"from", "to", "both", "loss", "ge"};
    yaml_node_t *v[5], *kn[5];
    char k[96];
    if (!scn_fields(c, e, path, keys, 5, 31, v, kn)) return false;
    l->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    if (!v[0]) return scn_missing(c, e, path, "from");
    if (!v[1]) return scn_missing(c, e, path, "to");
    if (!scn_node_ref(c, v[0], e, path, "from", &l->from) ||
        !scn_node_ref(c, v[1], e, path, "to", &l->to))
        return false;
    if (l->from == l->to) return scn_fail(c, v[1], path, "a link joins two different nodes");
    if (v[2]) {
        scn_join(k, sizeof(k), path, "both");
        if (!scn_bool(c, v[2], k, &l->both)) return false;
    }
    if (!v[3] && !v[4]) return scn_fail(c, e, path, "a link needs 'loss' or 'ge'");
    if (v[3]) {
        scn_join(k, sizeof(k), path, "loss");
        if (!scn_real(c, v[3], k, 0, 1, &l->loss)) return false;
        l->loss_set = true;
    }
    if (v[4]) {
        scn_join(k, sizeof(k), path, "ge");
        if (!scn_parse_ge(c, v[4], k, &l->ge)) return false;
    }
    return true;
}

enum {
    RA_MODEL,
    RA_RATE,
    RA_CHANNEL,
    RA_SHORT,
    RA_LOSS,
    RA_GE,
    RA_RSSI,
    RA_TX_POWER,
    RA_EXPONENT,
    RA_REF_LOSS,
    RA_SHADOWING,
    RA_NOISE,
    RA_SENSITIVITY,
    RA_CAPTURE,
    RA_LEAK,
    RA_RETRY,
    RA_CW_MIN,
    RA_CW_MAX,
    RA_QUEUE,
    RA_RX_QUEUE,
    RA_RX_BCAST,
    RA_NODE_PCAP,
    RA_STATS,
    RA_LINKS,
    RA_KEYS
};

static void scn_radio_defaults(scn_radio *r)
{
    r->model = SCN_RADIO_PERFECT;
    r->rate_kbps = 1000;
    r->channel = 1;
    r->rssi = -40;
    r->tx_power = 20;
    r->exponent = 3;
    r->ref_loss = 40;
    r->noise = -98;
    r->sensitivity = -95;
    r->capture = 10;
    r->retry_limit = 5;
    r->cw_min = 31;
    r->cw_max = 1023;
    r->queue = 16;
    r->rx_queue = 8;
}

static bool scn_parse_radio(scn_ctx *c, yaml_node_t *e)
{
    static const char *const keys[RA_KEYS] = {
        "model",       "rate",     "channel",       "short_preamble", "loss",        "ge",
        "rssi",        "tx_power", "exponent",      "ref_loss",       "shadowing",   "noise",
        "sensitivity", "capture",  "adjacent_leak", "retry_limit",    "cw_min",      "cw_max",
        "queue",       "rx_queue", "rx_broadcast",  "node_pcap",      "stats_every", "links"};
    scn_radio *r = &c->s->radio;
    yaml_node_t *v[RA_KEYS], *kn[RA_KEYS];
    char k[96], buf[256];
    if (!scn_fields(c, e, "radio", keys, RA_KEYS, (1u << RA_KEYS) - 1, v, kn)) return false;
    r->present = true;
    int kind;
    int64_t x;
    if (v[RA_MODEL]) {
        if (!scn_enum(c, v[RA_MODEL], "radio.model", "model", scn_models, SCN_COUNT(scn_models),
                      &kind))
            return false;
        r->model = (scn_radio_model)kind;
    }
    if (v[RA_RATE]) {
        double mb;
        if (!scn_real(c, v[RA_RATE], "radio.rate", 1, 11, &mb)) return false;
        if (mb != 1 && mb != 2 && mb != 5.5 && mb != 11)
            return scn_fail(c, v[RA_RATE], "radio.rate",
                            "must be 1, 2, 5.5 or 11 (Mb/s, DSSS/CCK), got %s",
                            scn_what(v[RA_RATE], buf, sizeof(buf)));
        r->rate_kbps = (unsigned)(mb * 1000);
    }
    if (v[RA_CHANNEL]) {
        if (!scn_int(c, v[RA_CHANNEL], "radio.channel", 1, 14, "between 1 and 14", &x))
            return false;
        r->channel = (unsigned)x;
    }
    struct {
        int key;
        bool *dst;
    } bools[] = {{RA_SHORT, &r->short_preamble},
                 {RA_RX_BCAST, &r->rx_broadcast},
                 {RA_NODE_PCAP, &r->node_pcap}};
    for (size_t i = 0; i < SCN_COUNT(bools); i++)
        if (v[bools[i].key]) {
            scn_join(k, sizeof(k), "radio", keys[bools[i].key]);
            if (!scn_bool(c, v[bools[i].key], k, bools[i].dst)) return false;
        }
    struct {
        int key;
        double lo, hi, *dst;
    } reals[] = {{RA_LOSS, 0, 1, &r->loss},
                 {RA_RSSI, -150, 30, &r->rssi},
                 {RA_TX_POWER, -30, 30, &r->tx_power},
                 {RA_EXPONENT, 0, 10, &r->exponent},
                 {RA_REF_LOSS, 0, 200, &r->ref_loss},
                 {RA_SHADOWING, 0, 50, &r->shadowing},
                 {RA_NOISE, -150, 0, &r->noise},
                 {RA_SENSITIVITY, -150, 0, &r->sensitivity},
                 {RA_CAPTURE, -20, 60, &r->capture},
                 {RA_LEAK, 0, 100, &r->adjacent_leak}};
    for (size_t i = 0; i < SCN_COUNT(reals); i++)
        if (v[reals[i].key]) {
            scn_join(k, sizeof(k), "radio", keys[reals[i].key]);
            if (!scn_real(c, v[reals[i].key], k, reals[i].lo, reals[i].hi, reals[i].dst))
                return false;
        }
    struct {
        int key;
        int64_t lo, hi;
        unsigned *dst;
    } ints[] = {{RA_RETRY, 0, 255, &r->retry_limit},
                {RA_CW_MIN, 0, 65535, &r->cw_min},
                {RA_CW_MAX, 0, 65535, &r->cw_max},
                {RA_QUEUE, 1, 4096, &r->queue},
                {RA_RX_QUEUE, 1, 4096, &r->rx_queue}};
    for (size_t i = 0; i < SCN_COUNT(ints); i++)
        if (v[ints[i].key]) {
            char range[64];
            snprintf(range, sizeof(range), "between %lld and %lld", (long long)ints[i].lo,
                     (long long)ints[i].hi);
            scn_join(k, sizeof(k), "radio", keys[ints[i].key]);
            if (!scn_int(c, v[ints[i].key], k, ints[i].lo, ints[i].hi, range, &x)) return false;
            *ints[i].dst = (unsigned)x;
        }
    if (r->cw_min > r->cw_max)
        return scn_fail(c, v[RA_CW_MIN] ? v[RA_CW_MIN] : v[RA_CW_MAX], "radio.cw_min",
                        "cw_min (%u) must not exceed cw_max (%u)", r->cw_min, r->cw_max);
    if (v[RA_GE] && !scn_parse_ge(c, v[RA_GE], "radio.ge", &r->ge)) return false;
    if (v[RA_STATS] && !scn_duration(c, v[RA_STATS], "radio.stats_every", true, &r->stats_every_ps))
        return false;
    size_t n;
    if (!scn_seq(c, v[RA_LINKS], "radio.links", &n)) return false;
    if (n) {
        r->links = calloc(n, sizeof(*r->links));
        if (!r->links) return scn_fail(c, v[RA_LINKS], "radio.links", "out of memory");
        r->nlinks = n;
        for (size_t i = 0; i < n; i++) {
            char p[64];
            scn_pathf(p, sizeof(p), "radio.links[%zu]", i);
            if (!scn_parse_link(c, scn_item(c, v[RA_LINKS], i), p, &r->links[i])) return false;
        }
    }
    return true;
}

/* partition: groups: [[NAME, ...], ...]: group g+1 for the nodes of the g-th list. */
static bool scn_parse_groups(scn_ctx *c, yaml_node_t *n, const char *key, scn_action *a)
{
    size_t ng;
    if (!scn_seq(c, n, key, &ng)) return false;
    if (ng == 0) return scn_fail(c, n, key, "at least one group is required");
    a->groups = calloc(c->s->nnodes, sizeof(*a->groups));
    if (!a->groups) return scn_fail(c, n, key, "out of memory");
    for (size_t g = 0; g < ng; g++) {
        char p[96];
        scn_pathf(p, sizeof(p), "%s[%zu]", key, g);
        yaml_node_t *list = scn_item(c, n, g);
        size_t nm;
        if (!scn_seq(c, list, p, &nm)) return false;
        for (size_t i = 0; i < nm; i++) {
            size_t node;
            yaml_node_t *item = scn_item(c, list, i);
            if (!scn_node_ref(c, item, list, p, "", &node)) return false;
            if (a->groups[node])
                return scn_fail(c, item, p, "node '%s' is in two groups", c->s->nodes[node].name);
            a->groups[node] = (unsigned)g + 1u;
        }
    }
    return true;
}

enum {
    A_AT,
    A_ON,
    A_DELAY,
    A_ACTION,
    A_NODE,
    A_KIND,
    A_TEXT,
    A_OFF_FOR,
    A_PIN,
    A_LEVEL,
    A_PEER,
    A_COUNT,
    A_DURATION,
    A_POSITION,
    A_GROUPS,
    A_FROM,
    A_TO,
    A_LOSS,
    A_BOTH,
    A_KEYS
};

/* The keys of the radio actions (and that no other action uses them). */
static bool scn_parse_radio_action(scn_ctx *c, yaml_node_t *e, const char *path, scn_action *a,
                                   yaml_node_t **v, yaml_node_t **kn)
{
    static const struct {
        int key;
        const char *name;
        scn_action_kind kind;
    } own[] = {{A_POSITION, "position", SCN_ACT_MOVE}, {A_GROUPS, "groups", SCN_ACT_PARTITION},
               {A_FROM, "from", SCN_ACT_LINK_LOSS},    {A_TO, "to", SCN_ACT_LINK_LOSS},
               {A_LOSS, "loss", SCN_ACT_LINK_LOSS},    {A_BOTH, "both", SCN_ACT_LINK_LOSS}};
    char k[96];
    for (size_t i = 0; i < SCN_COUNT(own); i++)
        if (v[own[i].key] && a->kind != own[i].kind)
            return scn_fail(c, kn[own[i].key], path, "'%s' is only used with action: %s",
                            own[i].name,
                            own[i].kind == SCN_ACT_MOVE        ? "move"
                            : own[i].kind == SCN_ACT_PARTITION ? "partition"
                                                               : "link-loss");
    bool radio = a->kind >= SCN_ACT_RADIO_OFF && a->kind <= SCN_ACT_LINK_LOSS;
    if (radio) c->s->radio.present = true;
    switch (a->kind) {
    case SCN_ACT_MOVE:
        if (!v[A_POSITION]) return scn_missing(c, e, path, "position");
        scn_join(k, sizeof(k), path, "position");
        return scn_position(c, v[A_POSITION], k, a->xyz);
    case SCN_ACT_PARTITION:
        if (!v[A_GROUPS]) return scn_missing(c, e, path, "groups");
        scn_join(k, sizeof(k), path, "groups");
        return scn_parse_groups(c, v[A_GROUPS], k, a);
    case SCN_ACT_LINK_LOSS:
        if (!v[A_FROM]) return scn_missing(c, e, path, "from");
        if (!v[A_TO]) return scn_missing(c, e, path, "to");
        if (!v[A_LOSS]) return scn_missing(c, e, path, "loss");
        if (!scn_node_ref(c, v[A_FROM], e, path, "from", &a->from) ||
            !scn_node_ref(c, v[A_TO], e, path, "to", &a->to))
            return false;
        if (a->from == a->to) return scn_fail(c, v[A_TO], path, "a link joins two different nodes");
        scn_join(k, sizeof(k), path, "loss");
        if (!scn_real(c, v[A_LOSS], k, 0, 1, &a->loss)) return false;
        scn_join(k, sizeof(k), path, "both");
        return !v[A_BOTH] || scn_bool(c, v[A_BOTH], k, &a->both);
    default: return true;
    }
}

static bool scn_parse_action(scn_ctx *c, yaml_node_t *e, const char *path, scn_action *a)
{
    static const char *const keys[A_KEYS] = {"at",   "on",    "delay",    "action",   "node",
                                             "kind", "text",  "off_for",  "pin",      "level",
                                             "peer", "count", "duration", "position", "groups",
                                             "from", "to",    "loss",     "both"};
    yaml_node_t *v[A_KEYS], *kn[A_KEYS];
    char k[96];
    if (!scn_fields(c, e, path, keys, A_KEYS, (1u << A_KEYS) - 1, v, kn)) return false;
    a->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    if (!v[A_AT] && !v[A_ON])
        return scn_fail(
            c, e, path,
            "needs a trigger: 'at' (a time) or 'on' (a line on a node's serial output)");
    if (v[A_AT] && v[A_ON])
        return scn_fail(c, kn[A_ON], path,
                        "'at' and 'on' cannot both be given (an entry has one trigger)");
    if (!v[A_ACTION]) return scn_missing(c, e, path, "action");
    int kind;
    scn_join(k, sizeof(k), path, "action");
    if (!scn_enum(c, v[A_ACTION], k, "action", scn_actions, SCN_COUNT(scn_actions), &kind))
        return false;
    a->kind = (scn_action_kind)kind;
    bool peer_action = a->kind == SCN_ACT_ASI2C_SEND || a->kind == SCN_ACT_ASI2C_FAULT;
    if (peer_action) {
        if (!v[A_PEER]) return scn_missing(c, e, path, "peer");
        if (v[A_NODE])
            return scn_fail(c, kn[A_NODE], path,
                            "'node' is not used with action: %s (the peer "
                            "is named by 'peer')",
                            scn_sval(v[A_ACTION]));
        scn_join(k, sizeof(k), path, "peer");
        if (!scn_peer_ref(c, v[A_PEER], k, &a->peer)) return false;
        a->node = c->s->asi2c[a->peer].node;
    } else {
        if (v[A_PEER])
            return scn_fail(c, kn[A_PEER], path,
                            "'peer' is only used with the asi2c-send and asi2c-fault actions");
        bool world =
            a->kind == SCN_ACT_PARTITION || a->kind == SCN_ACT_HEAL || a->kind == SCN_ACT_LINK_LOSS;
        if (world && v[A_NODE] && !v[A_ON])
            return scn_fail(c, kn[A_NODE], path, "'node' is not used with action: %s",
                            scn_sval(v[A_ACTION]));
        if (!world || v[A_ON]) {
            if (!scn_node_ref(c, v[A_NODE], e, path, "node", &a->node)) return false;
        }
    }
    if (!scn_parse_radio_action(c, e, path, a, v, kn)) return false;
    if (v[A_DELAY]) {
        scn_join(k, sizeof(k), path, "delay");
        if (!scn_duration(c, v[A_DELAY], k, false, &a->delay_ps)) return false;
    }
    if (v[A_AT]) {
        a->trigger = SCN_TRIG_AT;
        scn_join(k, sizeof(k), path, "at");
        if (!scn_time(c, v[A_AT], k, &a->at_ps)) return false;
        if (a->delay_ps > c->s->duration_ps - a->at_ps) {
            char buf[256];
            scn_join(k, sizeof(k), path, "delay");
            return scn_fail(c, v[A_DELAY], k,
                            "at + delay is after the end of the run (duration: %s)",
                            scn_what(c->duration, buf, sizeof(buf)));
        }
    } else {
        static const char *const on_keys[] = {"node", "serial", "peer", "exchange"};
        yaml_node_t *ov[4], *okn[4];
        char on[96];
        a->trigger = SCN_TRIG_SERIAL;
        scn_join(on, sizeof(on), path, "on");
        if (!scn_fields(c, v[A_ON], on, on_keys, 4, 15, ov, okn)) return false;
        if (ov[2] || ov[3]) {
            if (ov[0] || ov[1])
                return scn_fail(c, v[A_ON], on,
                                "a trigger is either {node, serial} or {peer, exchange}");
            if (!ov[2]) return scn_missing(c, v[A_ON], on, "peer");
            if (!ov[3]) return scn_missing(c, v[A_ON], on, "exchange");
            a->trigger = SCN_TRIG_EXCHANGE;
            scn_join(k, sizeof(k), on, "peer");
            if (!scn_peer_ref(c, ov[2], k, &a->on_node)) return false;
            scn_join(k, sizeof(k), on, "exchange");
            int64_t x;
            if (!scn_int(c, ov[3], k, 1, INT64_MAX, "an exchange number from 1", &x)) return false;
            a->exchange = (uint64_t)x;
            goto trigger_done;
        }
        if (!ov[1]) return scn_missing(c, v[A_ON], on, "serial");
        a->on_node = a->node;
        if (ov[0] && !scn_node_ref(c, ov[0], v[A_ON], on, "node", &a->on_node)) return false;
        scn_join(k, sizeof(k), on, "serial");
        if (!scn_regex_load(c, ov[1], k, &a->on_serial)) return false;
    }
trigger_done:
    if (a->kind == SCN_ACT_CRASH) {
        if (!v[A_KIND]) return scn_missing(c, e, path, "kind");
        scn_join(k, sizeof(k), path, "kind");
        if (!scn_enum(c, v[A_KIND], k, "crash kind", scn_crashes, SCN_COUNT(scn_crashes), &kind))
            return false;
        a->crash = (scn_crash_kind)kind;
    } else if (v[A_KIND] && a->kind != SCN_ACT_ASI2C_FAULT) {
        return scn_fail(c, kn[A_KIND], path,
                        "'kind' is only used with action: crash or asi2c-fault");
    }
    if (a->kind == SCN_ACT_UART_INJECT) {
        if (!v[A_TEXT]) return scn_missing(c, e, path, "text");
        scn_join(k, sizeof(k), path, "text");
        if (!scn_text(c, v[A_TEXT], k, &a->text, &a->text_len)) return false;
    } else if (v[A_TEXT] && a->kind != SCN_ACT_ASI2C_SEND) {
        return scn_fail(c, kn[A_TEXT], path,
                        "'text' is only used with action: uart-inject or asi2c-send");
    }
    if (a->kind == SCN_ACT_CRASH && a->crash == SCN_CRASH_POWER_CYCLE) {
        a->off_for_ps = SCN_DEFAULT_OFF_FOR_PS;
        scn_join(k, sizeof(k), path, "off_for");
        if (v[A_OFF_FOR] && !scn_duration(c, v[A_OFF_FOR], k, true, &a->off_for_ps)) return false;
    } else if (v[A_OFF_FOR]) {
        return scn_fail(c, kn[A_OFF_FOR], path,
                        "'off_for' is only used with action: crash, kind: power-cycle");
    }
    if (a->kind == SCN_ACT_ASI2C_SEND) {
        if (!v[A_TEXT]) return scn_missing(c, e, path, "text");
        scn_join(k, sizeof(k), path, "text");
        if (!scn_text(c, v[A_TEXT], k, &a->text, &a->text_len)) return false;
    }
    if (a->kind == SCN_ACT_ASI2C_FAULT) {
        int fk;
        if (!v[A_KIND]) return scn_missing(c, e, path, "kind");
        scn_join(k, sizeof(k), path, "kind");
        if (!scn_enum(c, v[A_KIND], k, "fault kind", scn_faults, SCN_COUNT(scn_faults), &fk))
            return false;
        a->fault = (scn_fault_kind)fk;
        a->count = 1;
        if (v[A_COUNT]) {
            int64_t x;
            scn_join(k, sizeof(k), path, "count");
            if (a->fault != SCN_FAULT_NACK)
                return scn_fail(c, kn[A_COUNT], path, "'count' is only used with kind: nack");
            if (!scn_int(c, v[A_COUNT], k, 1, 1000000, "between 1 and 1000000", &x)) return false;
            a->count = (uint64_t)x;
        }
        bool timed = a->fault == SCN_FAULT_STRETCH || a->fault == SCN_FAULT_SYNC_STUCK;
        if (timed) {
            if (!v[A_DURATION]) return scn_missing(c, e, path, "duration");
            scn_join(k, sizeof(k), path, "duration");
            if (!scn_duration(c, v[A_DURATION], k, true, &a->duration_ps)) return false;
        } else if (v[A_DURATION]) {
            return scn_fail(c, kn[A_DURATION], path,
                            "'duration' is only used with kind: stretch or sync-stuck");
        }
        a->level = 1;
        if (v[A_LEVEL]) {
            int64_t x;
            if (a->fault != SCN_FAULT_SYNC_STUCK)
                return scn_fail(c, kn[A_LEVEL], path, "'level' is only used with kind: sync-stuck");
            scn_join(k, sizeof(k), path, "level");
            if (!scn_int(c, v[A_LEVEL], k, 0, 1, "0 or 1", &x)) return false;
            a->level = (int)x;
        }
        if (v[A_PIN]) return scn_fail(c, kn[A_PIN], path, "'pin' is only used with action: gpio");
        return true;
    }
    if (v[A_COUNT] || v[A_DURATION])
        return scn_fail(c, kn[v[A_COUNT] ? A_COUNT : A_DURATION], path,
                        "'%s' is only used with action: asi2c-fault",
                        v[A_COUNT] ? "count" : "duration");
    if (a->kind == SCN_ACT_GPIO)
        return scn_gpio_args(c, e, path, v[A_PIN], v[A_LEVEL], true, &a->pin, &a->level);
    if (v[A_PIN] || v[A_LEVEL])
        return scn_fail(c, kn[v[A_PIN] ? A_PIN : A_LEVEL], path,
                        "'%s' is only used with action: gpio", v[A_PIN] ? "pin" : "level");
    return true;
}

enum {
    X_NODE,
    X_PATTERN,
    X_TIMEOUT,
    X_KIND,
    X_CAUSE,
    X_REASON,
    X_MIN,
    X_MAX,
    X_PIN,
    X_LEVEL,
    X_PEER,
    X_STAT,
    X_KEYS
};
#define XB(k) (1u << (k))

static bool scn_parse_expect(scn_ctx *c, yaml_node_t *e, const char *path, scn_expect *x)
{
    static const char *const keys[X_KEYS] = {"node",  "pattern", "timeout", "kind",
                                             "cause", "reason",  "min",     "max",
                                             "pin",   "level",   "peer",    "stat"};
    static const unsigned allowed[] = {
        [SCN_EXP_WAIT_SERIAL] = XB(X_NODE) | XB(X_PATTERN) | XB(X_TIMEOUT),
        [SCN_EXP_EXIT] = XB(X_NODE) | XB(X_KIND) | XB(X_CAUSE) | XB(X_TIMEOUT),
        [SCN_EXP_RESET_REASON] = XB(X_NODE) | XB(X_REASON) | XB(X_TIMEOUT),
        [SCN_EXP_COUNTER] =
            XB(X_NODE) | XB(X_PATTERN) | XB(X_MIN) | XB(X_MAX) | XB(X_PEER) | XB(X_STAT),
        [SCN_EXP_WAIT_GPIO] = XB(X_NODE) | XB(X_PIN) | XB(X_LEVEL) | XB(X_TIMEOUT),
        [SCN_EXP_WAIT_ASI2C] = XB(X_PEER) | XB(X_PATTERN) | XB(X_TIMEOUT),
    };
    char list[256], buf[256], k[96];
    if (!scn_want(c, e, path, YAML_MAPPING_NODE)) return false;
    x->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    size_t npairs = (size_t)(e->data.mapping.pairs.top - e->data.mapping.pairs.start);
    scn_list(scn_steps, SCN_COUNT(scn_steps), list, sizeof(list));
    if (npairs == 0) return scn_fail(c, e, path, "empty step (expected one of: %s)", list);
    yaml_node_t *kind_key = scn_get(c, e->data.mapping.pairs.start[0].key);
    yaml_node_t *body = scn_get(c, e->data.mapping.pairs.start[0].value);
    if (!kind_key || !body) return scn_fail(c, e, path, "malformed mapping");
    if (npairs > 1) {
        yaml_node_t *second = scn_get(c, e->data.mapping.pairs.start[1].key);
        return scn_fail(c, second ? second : e, path,
                        "a step has exactly one key, its kind (%s); found %s as well (start "
                        "each step with its own '-')",
                        scn_what(kind_key, list, sizeof(list)),
                        second ? scn_what(second, buf, sizeof(buf)) : "more");
    }
    size_t i = 0;
    while (i < SCN_COUNT(scn_steps) && !scn_key_is(kind_key, scn_steps[i].name))
        i++;
    if (i == SCN_COUNT(scn_steps))
        return scn_fail(c, kind_key, path, "unknown expect step %s (expected one of: %s)",
                        scn_what(kind_key, buf, sizeof(buf)), list);
    x->kind = (scn_expect_kind)scn_steps[i].value;
    x->cause = -1;
    char sp[96];
    scn_join(sp, sizeof(sp), path, scn_steps[i].name);
    yaml_node_t *v[X_KEYS], *kn[X_KEYS];
    if (!scn_fields(c, body, sp, keys, X_KEYS, allowed[x->kind], v, kn)) return false;
    x->stat = SCN_STAT_NONE;
    if (x->kind == SCN_EXP_WAIT_ASI2C && !v[X_PEER]) return scn_missing(c, body, sp, "peer");
    if (v[X_PEER]) {
        if (v[X_NODE]) return scn_fail(c, kn[X_NODE], sp, "give 'node' or 'peer', not both");
        scn_join(k, sizeof(k), sp, "peer");
        if (!scn_peer_ref(c, v[X_PEER], k, &x->peer)) return false;
        x->on_peer = true;
        x->node = c->s->asi2c[x->peer].node;
    } else if (v[X_STAT]) {
        return scn_fail(c, kn[X_STAT], sp, "'stat' needs 'peer' (the statistics are a peer's)");
    } else if (!scn_node_ref(c, v[X_NODE], body, sp, "node", &x->node)) {
        return false;
    }
    if (v[X_TIMEOUT]) {
        scn_join(k, sizeof(k), sp, "timeout");
        if (!scn_duration(c, v[X_TIMEOUT], k, true, &x->timeout_ps)) return false;
    }
    switch (x->kind) {
    case SCN_EXP_WAIT_SERIAL:
    case SCN_EXP_WAIT_ASI2C:
    case SCN_EXP_COUNTER:
        if (x->kind == SCN_EXP_COUNTER && v[X_STAT]) {
            int st;
            if (v[X_PATTERN])
                return scn_fail(c, kn[X_PATTERN], sp, "give 'pattern' or 'stat', not both");
            scn_join(k, sizeof(k), sp, "stat");
            if (!scn_enum(c, v[X_STAT], k, "statistic", scn_stats, SCN_COUNT(scn_stats), &st))
                return false;
            x->stat = (scn_stat)st;
            goto counter_range;
        }
        if (!v[X_PATTERN]) return scn_missing(c, body, sp, "pattern");
        scn_join(k, sizeof(k), sp, "pattern");
        if (!scn_regex_load(c, v[X_PATTERN], k, &x->pattern)) return false;
        if (x->kind != SCN_EXP_COUNTER) break;
    counter_range:
        x->max = UINT64_MAX;
        if (!v[X_MIN] && !v[X_MAX]) return scn_fail(c, body, sp, "needs 'min', 'max' or both");
        scn_join(k, sizeof(k), sp, "min");
        if (v[X_MIN] && !scn_u64(c, v[X_MIN], k, &x->min)) return false;
        scn_join(k, sizeof(k), sp, "max");
        if (v[X_MAX] && !scn_u64(c, v[X_MAX], k, &x->max)) return false;
        if (x->min > x->max)
            return scn_fail(c, v[X_MAX], k, "min %llu is greater than max %llu",
                            (unsigned long long)x->min, (unsigned long long)x->max);
        break;
    case SCN_EXP_EXIT: {
        int ek = SCN_EXIT_ANY;
        scn_join(k, sizeof(k), sp, "kind");
        if (v[X_KIND] &&
            !scn_enum(c, v[X_KIND], k, "exit kind", scn_exits, SCN_COUNT(scn_exits), &ek))
            return false;
        x->exit_kind = (scn_exit_kind)ek;
        if (v[X_CAUSE]) {
            int64_t cause;
            scn_join(k, sizeof(k), sp, "cause");
            if (!scn_int(c, v[X_CAUSE], k, 0, SCN_MAX_CAUSE, "an EXCCAUSE from 0 to 63", &cause))
                return false;
            if (v[X_KIND] && x->exit_kind != SCN_EXIT_FAULT)
                return scn_fail(c, kn[X_CAUSE], sp, "'cause' is only used with kind: fault");
            x->exit_kind = SCN_EXIT_FAULT;
            x->cause = (int)cause;
        }
        break;
    }
    case SCN_EXP_RESET_REASON: {
        if (!v[X_REASON]) return scn_missing(c, body, sp, "reason");
        scn_join(k, sizeof(k), sp, "reason");
        if (!scn_enum(c, v[X_REASON], k, "reset reason", scn_reasons, SCN_COUNT(scn_reasons),
                      &x->reason))
            return false;
        break;
    }
    case SCN_EXP_WAIT_GPIO:
        return scn_gpio_args(c, body, sp, v[X_PIN], v[X_LEVEL], false, &x->pin, &x->level);
    }
    return true;
}

/* ---- files named by the scenario ---- */

/* Finds rel in the scenario's directory, then in each directory of the firmware path; on success
 * *slot becomes the path found. */
static bool scn_resolve(scn_ctx *c, const yaml_node_t *n, const char *key, char **slot)
{
    const char *rel = *slot;
    char shown[200], searched[512];
    scn_show(rel, strlen(rel), shown, sizeof(shown));
    size_t so = 0;
    searched[0] = 0;
    const char *dirs = c->fwpath ? c->fwpath : "";
    const char *slash = strrchr(c->file, '/');
    bool absolute = rel[0] == '/';
    /* Candidate 0 is the scenario's directory, then the firmware path's entries. */
    for (int cand = 0;; cand++) {
        const char *dir;
        size_t dlen;
        if (absolute) {
            dir = "";
            dlen = 0;
        } else if (cand == 0) {
            dir = slash ? c->file : ".";
            dlen = slash ? (size_t)(slash - c->file) : 1;
            if (slash == c->file) dlen = 1; /* "/x.yaml" */
        } else {
            while (*dirs == ':')
                dirs++;
            if (!*dirs) break;
            dir = dirs;
            const char *colon = strchr(dirs, ':');
            dlen = colon ? (size_t)(colon - dirs) : strlen(dirs);
            dirs += dlen;
        }
        size_t rlen = strlen(rel);
        char *full = malloc(dlen + rlen + 2);
        if (!full) return scn_fail(c, n, key, "out of memory");
        if (absolute || (dlen == 1 && dir[0] == '.' && !slash && cand == 0))
            memcpy(full, rel, rlen + 1);
        else if (dlen == 1 && dir[0] == '/')
            snprintf(full, dlen + rlen + 2, "/%s", rel);
        else
            snprintf(full, dlen + rlen + 2, "%.*s/%s", (int)dlen, dir, rel);
        struct stat st;
        if (stat(full, &st) == 0) {
            if (!S_ISREG(st.st_mode)) {
                free(full);
                return scn_fail(c, n, key, "'%s' is not a regular file", shown);
            }
            if (access(full, R_OK) != 0) {
                int e = errno;
                free(full);
                return scn_fail(c, n, key, "'%s' cannot be read: %s", shown, strerror(e));
            }
            free(*slot);
            *slot = full;
            return true;
        }
        free(full);
        if (absolute) return scn_fail(c, n, key, "file '%s' not found", shown);
        if (so < sizeof(searched)) {
            int w = snprintf(searched + so, sizeof(searched) - so, "%s%.*s", so ? ", " : "",
                             (int)dlen, dir);
            if (w > 0) so += (size_t)w;
        }
    }
    return scn_fail(c, n, key, "file '%s' not found (searched: %s)", shown, searched);
}

static bool scn_resolve_files(scn_ctx *c)
{
    for (size_t i = 0; i < c->s->nnodes; i++) {
        char k[96];
        scn_node *nd = &c->s->nodes[i];
        scn_pathf(k, sizeof(k), "nodes[%zu].firmware", i);
        if (nd->firmware && !scn_resolve(c, c->aux[i].firmware, k, &nd->firmware)) return false;
        scn_pathf(k, sizeof(k), "nodes[%zu].flash", i);
        if (nd->flash && !scn_resolve(c, c->aux[i].flash, k, &nd->flash)) return false;
    }
    return true;
}

/* ---- top level ---- */

enum {
    R_VERSION,
    R_NAME,
    R_SEED,
    R_DURATION,
    R_NODES,
    R_TIMELINE,
    R_EXPECT,
    R_WIRES,
    R_ASI2C,
    R_RADIO,
    R_BUDGETS,
    R_LIMITS,
    R_OUTPUTS,
    R_KEYS
};

static const char *const scn_limit_names[SCN_LIMIT_COUNT] = {"output", "uart", "events", "pcap",
                                                             "vcd"};
/* Defaults: large enough for every shipped scenario, small enough that a runaway run stops long
 * before a CI machine's disk is full (docs/scenarios.md#limits). */
static const uint64_t scn_limit_defaults[SCN_LIMIT_COUNT] = {
    4ull << 30,  /* output: 4 GiB */
    64ull << 20, /* uart: 64 MiB per node */
    1ull << 30,  /* events: 1 GiB */
    1ull << 30,  /* pcap: 1 GiB */
    1ull << 30,  /* vcd: 1 GiB */
};

const char *scn_limit_name(scn_limit_kind k)
{
    return k < SCN_LIMIT_COUNT ? scn_limit_names[k] : "?";
}

uint64_t scn_limit_default(scn_limit_kind k)
{
    return k < SCN_LIMIT_COUNT ? scn_limit_defaults[k] : SCN_LIMIT_NONE;
}

bool scn_limit_parse(const char *text, uint64_t *bytes, const char **why)
{
    if (!strcmp(text, "unlimited")) {
        *bytes = SCN_LIMIT_NONE;
        return true;
    }
    if (!sim_parse_size(text, bytes, why)) return false;
    if (*bytes == 0) {
        *why = "must be greater than 0 (or unlimited)";
        return false;
    }
    return true;
}

/* limits: {output: 4GiB, uart: 64MiB, events: 1GiB, pcap: 1GiB, vcd: 1GiB} */
static bool scn_parse_limits(scn_ctx *c, yaml_node_t *e)
{
    scn_limits *l = &c->s->limits;
    yaml_node_t *v[SCN_LIMIT_COUNT], *kn[SCN_LIMIT_COUNT];
    if (!scn_fields(c, e, "limits", scn_limit_names, SCN_LIMIT_COUNT, (1u << SCN_LIMIT_COUNT) - 1,
                    v, kn))
        return false;
    for (int i = 0; i < SCN_LIMIT_COUNT; i++) {
        if (!v[i]) continue;
        char k[64], buf[256];
        scn_join(k, sizeof(k), "limits", scn_limit_names[i]);
        const char *why = "bad size";
        if (v[i]->type != YAML_SCALAR_NODE || scn_is_null(v[i]) ||
            strlen(scn_sval(v[i])) != v[i]->data.scalar.length ||
            !scn_limit_parse(scn_sval(v[i]), &l->max[i], &why))
            return scn_fail(c, v[i], k,
                            "bad limit %s: %s (expected a size such as 64MiB, or "
                            "unlimited)",
                            scn_what(v[i], buf, sizeof(buf)), why);
        l->pos[i] =
            (scn_pos){(unsigned)v[i]->start_mark.line + 1, (unsigned)v[i]->start_mark.column + 1};
    }
    return true;
}

/* outputs: {vcd: true, pcap: true} */
static bool scn_parse_outputs(scn_ctx *c, yaml_node_t *e)
{
    static const char *const keys[2] = {"vcd", "pcap"};
    yaml_node_t *v[2], *kn[2];
    if (!scn_fields(c, e, "outputs", keys, 2, 3u, v, kn)) return false;
    if (v[0] && !scn_bool(c, v[0], "outputs.vcd", &c->s->outputs.vcd)) return false;
    if (v[1] && !scn_bool(c, v[1], "outputs.pcap", &c->s->outputs.pcap)) return false;
    return true;
}

/* budgets: {isr: 50us, task: 15ms, busy: 500ms, sample: 50us, fail: true, profile: true,
 *           handlers: {SYMBOL: DURATION, ...}} */
enum { B_ISR, B_TASK, B_BUSY, B_SAMPLE, B_FAIL, B_PROFILE, B_HANDLERS, B_KEYS };

static bool scn_parse_budgets(scn_ctx *c, yaml_node_t *e)
{
    static const char *const keys[B_KEYS] = {"isr",  "task",    "busy",    "sample",
                                             "fail", "profile", "handlers"};
    scn_budgets *b = &c->s->budgets;
    yaml_node_t *v[B_KEYS], *kn[B_KEYS];
    if (!scn_fields(c, e, "budgets", keys, B_KEYS, (1u << B_KEYS) - 1, v, kn)) return false;
    b->present = true;
    b->pos = (scn_pos){(unsigned)e->start_mark.line + 1, (unsigned)e->start_mark.column + 1};
    uint64_t *dur[4] = {&b->isr_ps, &b->task_ps, &b->busy_ps, &b->sample_ps};
    for (int i = B_ISR; i <= B_SAMPLE; i++) {
        char k[64];
        scn_join(k, sizeof(k), "budgets", keys[i]);
        if (v[i] && !scn_duration(c, v[i], k, true, dur[i])) return false;
    }
    if (v[B_FAIL] && !scn_bool(c, v[B_FAIL], "budgets.fail", &b->fail)) return false;
    if (v[B_PROFILE] && !scn_bool(c, v[B_PROFILE], "budgets.profile", &b->profile)) return false;
    yaml_node_t *h = v[B_HANDLERS];
    if (!h) return true;
    if (!scn_want(c, h, "budgets.handlers", YAML_MAPPING_NODE)) return false;
    size_t n = (size_t)(h->data.mapping.pairs.top - h->data.mapping.pairs.start);
    b->handlers = calloc(n ? n : 1, sizeof(*b->handlers));
    if (!b->handlers) return scn_fail(c, h, "budgets.handlers", "out of memory");
    for (yaml_node_pair_t *p = h->data.mapping.pairs.start; p < h->data.mapping.pairs.top; p++) {
        yaml_node_t *k = scn_get(c, p->key), *val = scn_get(c, p->value);
        if (!k || !val || k->type != YAML_SCALAR_NODE)
            return scn_fail(c, h, "budgets.handlers", "expected SYMBOL: DURATION pairs");
        scn_budget_handler *bh = &b->handlers[b->nhandlers];
        if (!scn_string(c, k, "budgets.handlers", &bh->name)) return false;
        b->nhandlers++;
        char path[160];
        scn_pathf(path, sizeof(path), "budgets.handlers.%s", bh->name);
        if (!scn_duration(c, val, path, true, &bh->ps)) return false;
        bh->pos = (scn_pos){(unsigned)k->start_mark.line + 1, (unsigned)k->start_mark.column + 1};
        for (size_t j = 0; j + 1 < b->nhandlers; j++)
            if (!strcmp(b->handlers[j].name, bh->name))
                return scn_fail(c, k, "budgets.handlers", "duplicate handler '%s'", bh->name);
    }
    return true;
}

static bool scn_parse_root(scn_ctx *c, yaml_node_t *root)
{
    static const char *const keys[R_KEYS] = {"version",  "name",   "seed",   "duration", "nodes",
                                             "timeline", "expect", "wires",  "asi2c",    "radio",
                                             "budgets",  "limits", "outputs"};
    scenario *s = c->s;
    yaml_node_t *v[R_KEYS], *kn[R_KEYS];
    char buf[256];
    if (root->type != YAML_MAPPING_NODE)
        return scn_fail(c, root, NULL,
                        "a scenario is a mapping with the keys version, nodes, duration, ...; "
                        "got %s",
                        scn_what(root, buf, sizeof(buf)));
    /* The version first: a newer file should say so rather than fail on a newer key. */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = scn_get(c, p->key), *val = scn_get(c, p->value);
        if (!k || !val || !scn_key_is(k, "version")) continue;
        int64_t ver;
        if (!scn_int(c, val, "version", INT32_MIN, INT32_MAX, "1", &ver)) return false;
        if (ver != SCN_VERSION)
            return scn_fail(c, val, "version",
                            "unsupported version %lld (this espsim reads version %d)",
                            (long long)ver, SCN_VERSION);
        s->version = (int)ver;
        break;
    }
    if (!scn_fields(c, root, NULL, keys, R_KEYS, (1u << R_KEYS) - 1, v, kn)) return false;
    if (!v[R_VERSION]) return scn_missing(c, root, NULL, "version");
    if (!v[R_DURATION]) return scn_missing(c, root, NULL, "duration");
    if (!v[R_NODES]) return scn_missing(c, root, NULL, "nodes");
    if (v[R_NAME]) {
        if (!scn_string(c, v[R_NAME], "name", &s->name)) return false;
    } else {
        const char *base = strrchr(s->path, '/');
        base = base ? base + 1 : s->path;
        size_t n = strlen(base);
        if (n > 5 && !strcmp(base + n - 5, ".yaml"))
            n -= 5;
        else if (n > 4 && !strcmp(base + n - 4, ".yml"))
            n -= 4;
        s->name = strndup(base, n);
        if (!s->name) return scn_fail_at(c, 0, 0, NULL, "out of memory");
    }
    s->seed = 1;
    if (v[R_SEED] && !scn_u64(c, v[R_SEED], "seed", &s->seed)) return false;
    c->duration = v[R_DURATION];
    if (!scn_duration(c, v[R_DURATION], "duration", true, &s->duration_ps)) return false;

    size_t n;
    if (!scn_seq(c, v[R_NODES], "nodes", &n)) return false;
    if (!n) return scn_fail(c, v[R_NODES], "nodes", "at least one node is required");
    s->nodes = calloc(n, sizeof(*s->nodes));
    c->aux = calloc(n, sizeof(*c->aux));
    if (!s->nodes || !c->aux) return scn_fail(c, v[R_NODES], "nodes", "out of memory");
    s->nnodes = n;
    for (size_t i = 0; i < n; i++) {
        char p[64];
        scn_pathf(p, sizeof(p), "nodes[%zu]", i);
        if (!scn_parse_node(c, scn_item(c, v[R_NODES], i), p, i)) return false;
    }
    if (!scn_index_names(c)) return false;
    for (size_t i = 0; i < s->nnodes; i++)
        for (size_t j = 0; j < i; j++)
            if (!memcmp(s->nodes[i].mac, s->nodes[j].mac, 6))
                return scn_fail_at(c, s->nodes[i].pos.line, s->nodes[i].pos.col, "mac",
                                   "nodes '%s' and '%s' have the same MAC address",
                                   s->nodes[j].name, s->nodes[i].name);
    scn_radio_defaults(&s->radio);
    if (v[R_RADIO] && !scn_parse_radio(c, v[R_RADIO])) return false;
    if (v[R_BUDGETS] && !scn_parse_budgets(c, v[R_BUDGETS])) return false;
    for (int i = 0; i < SCN_LIMIT_COUNT; i++)
        s->limits.max[i] = scn_limit_defaults[i];
    if (v[R_LIMITS] && !scn_parse_limits(c, v[R_LIMITS])) return false;
    s->outputs = (scn_outputs){.vcd = true, .pcap = true};
    if (v[R_OUTPUTS] && !scn_parse_outputs(c, v[R_OUTPUTS])) return false;

    if (!scn_seq(c, v[R_ASI2C], "asi2c", &n)) return false;
    if (n) {
        s->asi2c = calloc(n, sizeof(*s->asi2c));
        if (!s->asi2c) return scn_fail(c, v[R_ASI2C], "asi2c", "out of memory");
        for (size_t i = 0; i < n; i++) {
            char p[64];
            scn_pathf(p, sizeof(p), "asi2c[%zu]", i);
            s->nasi2c = i + 1;
            if (!scn_parse_asi2c(c, scn_item(c, v[R_ASI2C], i), p, &s->asi2c[i])) return false;
        }
    }
    if (!scn_seq(c, v[R_WIRES], "wires", &n)) return false;
    if (n) {
        s->wires = calloc(n, sizeof(*s->wires));
        if (!s->wires) return scn_fail(c, v[R_WIRES], "wires", "out of memory");
        for (size_t i = 0; i < n; i++) {
            char p[64];
            scn_pathf(p, sizeof(p), "wires[%zu]", i);
            s->nwires = i + 1;
            yaml_node_t *item = scn_item(c, v[R_WIRES], i);
            if (!scn_parse_wire(c, item, p, &s->wires[i])) return false;
            /* a pin is on one net: no two wires, and not a pin an asi2c peer uses */
            for (size_t j = 0; j < s->wires[i].npins; j++) {
                const scn_wire_pin *wp = &s->wires[i].pins[j];
                for (size_t w = 0; w < i; w++)
                    for (size_t q = 0; q < s->wires[w].npins; q++)
                        if (s->wires[w].pins[q].node == wp->node &&
                            s->wires[w].pins[q].pin == wp->pin)
                            return scn_fail(c, item, p,
                                            "pin %u of node '%s' is already on wires[%zu]", wp->pin,
                                            s->nodes[wp->node].name, w);
                for (size_t q = 0; q < s->nasi2c; q++) {
                    const scn_asi2c *pa = &s->asi2c[q];
                    bool used = wp->node == pa->node &&
                                (wp->pin == pa->scl || wp->pin == pa->sda || wp->pin == pa->syn ||
                                 wp->pin == pa->ack || (pa->reset && wp->pin == SCN_PIN_RST));
                    if (used)
                        return scn_fail(c, item, p,
                                        "pin %u of node '%s' is wired to asi2c peer '%s'", wp->pin,
                                        s->nodes[wp->node].name, pa->name);
                }
            }
        }
    }

    if (!scn_seq(c, v[R_TIMELINE], "timeline", &n)) return false;
    if (n) {
        s->timeline = calloc(n, sizeof(*s->timeline));
        if (!s->timeline) return scn_fail(c, v[R_TIMELINE], "timeline", "out of memory");
        s->ntimeline = n;
        for (size_t i = 0; i < n; i++) {
            char p[64];
            scn_pathf(p, sizeof(p), "timeline[%zu]", i);
            if (!scn_parse_action(c, scn_item(c, v[R_TIMELINE], i), p, &s->timeline[i]))
                return false;
        }
    }
    if (!scn_seq(c, v[R_EXPECT], "expect", &n)) return false;
    if (n) {
        s->expects = calloc(n, sizeof(*s->expects));
        if (!s->expects) return scn_fail(c, v[R_EXPECT], "expect", "out of memory");
        s->nexpects = n;
        for (size_t i = 0; i < n; i++) {
            char p[64];
            scn_pathf(p, sizeof(p), "expect[%zu]", i);
            if (!scn_parse_expect(c, scn_item(c, v[R_EXPECT], i), p, &s->expects[i])) return false;
        }
    }
    return scn_resolve_files(c);
}

/* ---- reading and YAML syntax ---- */

/* 1-based line and column of a byte offset (reader errors give offsets, not marks). */
static void scn_offset_pos(const scn_ctx *c, size_t off, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < c->len; i++) {
        if (c->text[i] == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)c->text[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* The byte at a 0-based line and character column, or 0. */
static char scn_char_at(const scn_ctx *c, size_t line, size_t col)
{
    size_t i = 0;
    for (size_t l = 0; l < line; l++) {
        const char *nl = memchr(c->text + i, '\n', c->len - i);
        if (!nl) return 0;
        i = (size_t)(nl - c->text) + 1;
    }
    for (size_t k = 0; i < c->len; i++) {
        if (((unsigned char)c->text[i] & 0xC0) == 0x80) continue;
        if (k++ == col) return c->text[i];
    }
    return 0;
}

static bool scn_syntax(scn_ctx *c, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->error == YAML_MEMORY_ERROR) return scn_fail_at(c, 0, 0, NULL, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        unsigned line, col;
        scn_offset_pos(c, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            return scn_fail_at(c, line, col, NULL, "syntax error: %s (byte 0x%02x)", problem,
                               (unsigned)p->problem_value & 0xFFu);
        return scn_fail_at(c, line, col, NULL, "syntax error: %s", problem);
    }
    const yaml_mark_t *m = &p->problem_mark;
    const char *hint = scn_char_at(c, m->line, m->column) == '\t' && !strstr(problem, "tab")
                           ? "; tabs cannot be used for indentation, use spaces"
                           : "";
    if (p->context && (p->context_mark.line != m->line || p->context_mark.column != m->column))
        return scn_fail_at(c, (unsigned)m->line + 1, (unsigned)m->column + 1, NULL,
                           "syntax error: %s (%s at %u:%u)%s", problem, p->context,
                           (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1,
                           hint);
    if (p->context)
        return scn_fail_at(c, (unsigned)m->line + 1, (unsigned)m->column + 1, NULL,
                           "syntax error: %s (%s)%s", problem, p->context, hint);
    return scn_fail_at(c, (unsigned)m->line + 1, (unsigned)m->column + 1, NULL,
                       "syntax error: %s%s", problem, hint);
}

/* The event pass: syntax, aliases, one document, nesting depth. */
static bool scn_scan(scn_ctx *c)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) return scn_fail_at(c, 0, 0, NULL, "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)c->text, c->len);
    unsigned depth = 0, docs = 0;
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            ok = scn_syntax(c, &p);
            break;
        }
        unsigned line = (unsigned)e.start_mark.line + 1, col = (unsigned)e.start_mark.column + 1;
        switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                ok = scn_fail_at(c, line, col, NULL,
                                 "a scenario file holds one YAML document (found a second one)");
            break;
        case YAML_ALIAS_EVENT:
            ok = scn_fail_at(c, line, col, NULL, "YAML aliases (*name) are not supported");
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > SCN_MAX_DEPTH)
                ok = scn_fail_at(c, line, col, NULL, "nesting too deep (more than %d levels)",
                                 SCN_MAX_DEPTH);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: depth--; break;
        case YAML_STREAM_END_EVENT: done = true; break;
        default: break;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    return ok;
}

static bool scn_read(scn_ctx *c, char **text, size_t *len)
{
    FILE *f = fopen(c->file, "rb");
    if (!f) return scn_fail_at(c, 0, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return scn_fail_at(c, 0, 0, NULL, "not a regular file");
    }
    char *buf = malloc(SCN_MAX_FILE + 1);
    if (!buf) {
        fclose(f);
        return scn_fail_at(c, 0, 0, NULL, "out of memory");
    }
    size_t n = fread(buf, 1, SCN_MAX_FILE + 1, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return scn_fail_at(c, 0, 0, NULL, "read error");
    }
    if (n > SCN_MAX_FILE) {
        free(buf);
        return scn_fail_at(c, 0, 0, NULL, "file too large (more than 1 MB)");
    }
    *text = buf;
    *len = n;
    return true;
}

bool scn_load(scenario *s, const char *path, const char *firmware_path, char *err, size_t errsize)
{
    memset(s, 0, sizeof(*s));
    scn_ctx c = {.s = s, .file = path, .fwpath = firmware_path, .err = err, .errsize = errsize};
    if (errsize) err[0] = 0;
    char *text = NULL;
    size_t len = 0;
    bool ok = false, have_doc = false;
    yaml_parser_t p;
    yaml_document_t doc;
    s->path = strdup(path);
    if (!s->path) {
        scn_fail_at(&c, 0, 0, NULL, "out of memory");
        goto out;
    }
    if (!scn_read(&c, &text, &len)) goto out;
    c.text = text;
    c.len = len;
    if (!scn_scan(&c)) goto out;
    if (!yaml_parser_initialize(&p)) {
        scn_fail_at(&c, 0, 0, NULL, "out of memory");
        goto out;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    have_doc = yaml_parser_load(&p, &doc);
    if (!have_doc) scn_syntax(&c, &p);
    yaml_parser_delete(&p);
    if (!have_doc) goto out;
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        scn_fail_at(&c, 1, 1, NULL,
                    "empty scenario (expected a mapping with version, duration and nodes)");
    else
        ok = scn_parse_root(&c, root);
out:
    if (have_doc) yaml_document_delete(&doc);
    free(text);
    free(c.aux);
    free(c.byname);
    if (!ok) scn_free(s);
    return ok;
}

static void scn_regex_free(scn_regex *r)
{
    if (r->compiled) regfree(&r->re);
    free(r->text);
}

void scn_free(scenario *s)
{
    for (size_t i = 0; i < s->nnodes; i++) {
        scn_node *n = &s->nodes[i];
        free(n->name);
        free(n->firmware);
        free(n->flash);
        for (size_t j = 0; j < n->nuart; j++)
            free(n->uart[j].text);
        free(n->uart);
        free(n->config);
    }
    free(s->radio.links);
    for (size_t i = 0; i < s->ntimeline; i++) {
        scn_regex_free(&s->timeline[i].on_serial);
        free(s->timeline[i].text);
        free(s->timeline[i].groups);
    }
    for (size_t i = 0; i < s->nexpects; i++)
        scn_regex_free(&s->expects[i].pattern);
    for (size_t i = 0; i < s->nwires; i++) {
        free(s->wires[i].name);
        free(s->wires[i].pins);
    }
    for (size_t i = 0; i < s->nasi2c; i++)
        free(s->asi2c[i].name);
    free(s->wires);
    free(s->asi2c);
    for (size_t i = 0; i < s->budgets.nhandlers; i++)
        free(s->budgets.handlers[i].name);
    free(s->budgets.handlers);
    free(s->nodes);
    free(s->timeline);
    free(s->expects);
    free(s->name);
    free(s->path);
    memset(s, 0, sizeof(*s));
}

int scn_reason_from_name(const char *name)
{
    for (size_t i = 0; name && i < SCN_COUNT(scn_reasons); i++)
        if (!strcmp(name, scn_reasons[i].name)) return scn_reasons[i].value;
    return -1;
}

const char *scn_reason_name(int reason)
{
    for (size_t i = 0; i < SCN_COUNT(scn_reasons); i++)
        if (scn_reasons[i].value == reason) return scn_reasons[i].name;
    return NULL;
}

const char *scn_stat_name(scn_stat st)
{
    for (size_t i = 0; i < SCN_COUNT(scn_stats); i++)
        if (scn_stats[i].value == (int)st) return scn_stats[i].name;
    return "?";
}
