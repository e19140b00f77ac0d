/* sim/lines.c — DWARF line lookup through libdw; see lines.h.
 *
 * Every compile unit's line table is read once (dwarf_nextcu + dwarf_getsrclines) into one
 * array of rows sorted by address; a lookup takes the last row at or below the address, unless
 * that row ends a sequence. .debug_aranges is not used: after --gc-sections it holds zero-address
 * entries that make libdw reject it, which would lose every line. */
#include "lines.h"

#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct lines_row {
    uint32_t addr;
    int line;         /* 0 for an end-of-sequence row */
    const char *file; /* owned by the Dwarf handle */
} lines_row;

struct sim_lines {
    Dwarf *dw;
    int fd;
    lines_row *rows;
    size_t n, cap;
};

static int lines_cmp(const void *a, const void *b)
{
    const lines_row *x = a, *y = b;
    if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
    /* at equal addresses an end-of-sequence row sorts first, so the lookup (which takes the
     * last row at or below an address) finds the sequence that starts there */
    return (x->line != 0) - (y->line != 0);
}

static bool lines_push(sim_lines *l, uint32_t addr, int line, const char *file)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        lines_row *r = realloc(l->rows, cap * sizeof(*r));
        if (!r) return false;
        l->rows = r;
        l->cap = cap;
    }
    l->rows[l->n++] = (lines_row){addr, line, file};
    return true;
}

sim_lines *sim_lines_open(const char *elf_path)
{
    int fd = open(elf_path, O_RDONLY);
    if (fd < 0) return NULL;
    Dwarf *dw = dwarf_begin(fd, DWARF_C_READ);
    if (!dw) {
        close(fd);
        return NULL;
    }
    sim_lines *l = calloc(1, sizeof(*l));
    if (!l) {
        dwarf_end(dw);
        close(fd);
        return NULL;
    }
    l->dw = dw;
    l->fd = fd;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu;
        Dwarf_Lines *lines;
        size_t nlines;
        if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_getsrclines(&cu, &lines, &nlines) == 0) {
            for (size_t i = 0; i < nlines; i++) {
                Dwarf_Line *ln = dwarf_onesrcline(lines, i);
                Dwarf_Addr a;
                int line = 0;
                bool end = false;
                if (!ln || dwarf_lineaddr(ln, &a) != 0) continue;
                dwarf_lineendsequence(ln, &end);
                dwarf_lineno(ln, &line);
                const char *file = dwarf_linesrc(ln, NULL, NULL);
                /* sections dropped by --gc-sections keep their rows at address 0: skip them */
                if (a == 0 || a > UINT32_MAX || !file) continue;
                if (!lines_push(l, (uint32_t)a, end ? 0 : (line > 0 ? line : 0), file)) break;
            }
        }
        off = next;
    }
    if (l->n == 0) {
        sim_lines_close(l);
        return NULL;
    }
    qsort(l->rows, l->n, sizeof(*l->rows), lines_cmp);
    return l;
}

void sim_lines_close(sim_lines *l)
{
    if (!l) return;
    dwarf_end(l->dw);
    close(l->fd);
    free(l->rows);
    free(l);
}

bool sim_lines_lookup(const sim_lines *l, uint32_t addr, const char **file, int *line)
{
    if (!l) return false;
    size_t lo = 0, hi = l->n;
    while (lo < hi) { /* first row above addr */
        size_t mid = (lo + hi) / 2;
        if (l->rows[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return false;
    const lines_row *r = &l->rows[lo - 1];
    if (r->line <= 0) return false; /* past the end of a sequence */
    *file = r->file;
    *line = r->line;
    return true;
}
