/* sim/elf_load.c — ELF reading through libelf; see elf_load.h. */
#include "elf_load.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_XTENSA
#define EM_XTENSA 94
#endif

static int sym_cmp(const void *a, const void *b)
{
    const sim_elf_symbol *x = a, *y = b;
    if (x->addr != y->addr) return x->addr < y->addr ? -1 : 1;
    return strcmp(x->name, y->name);
}

static bool elf_read_symbols(sim_elf *elf, Elf *e)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data) continue;
        size_t n = sh.sh_size / sh.sh_entsize;
        sim_elf_symbol *syms = calloc(n ? n : 1, sizeof(*syms));
        if (!syms) return false;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym s;
            if (!gelf_getsym(data, (int)i, &s)) continue;
            int type = GELF_ST_TYPE(s.st_info);
            if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) continue;
            if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS) continue;
            const char *name = elf_strptr(e, sh.sh_link, s.st_name);
            if (!name || !*name || name[0] == '.' || name[0] == '$') continue;
            if (strncmp(name, ".L", 2) == 0) continue;
            syms[k].addr = (uint32_t)s.st_value;
            syms[k].size = (uint32_t)s.st_size;
            syms[k].name = strdup(name);
            if (!syms[k].name) break;
            k++;
        }
        qsort(syms, k, sizeof(*syms), sym_cmp);
        elf->syms = syms;
        elf->nsyms = k;
        return true;
    }
    return true;
}

bool sim_elf_open(sim_elf *elf, const char *path, char *err, size_t errsize)
{
    memset(elf, 0, sizeof(*elf));
    int fd = open(path, O_RDONLY);
    if (fd < 0) return sim_error(err, errsize, path, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sim_error(err, errsize, path, "not a regular file");
    }
    if (st.st_size == 0) {
        close(fd);
        return sim_error(err, errsize, path, "empty file");
    }
    if (st.st_size > (off_t)256 * 1024 * 1024) {
        close(fd);
        return sim_error(err, errsize, path, "file too large for an ESP8266 program");
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size);
    if (!buf) {
        close(fd);
        return sim_error(err, errsize, path, "out of memory");
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    bool ok = got == size ? sim_elf_open_mem(elf, path, buf, size, err, errsize)
                          : sim_error(err, errsize, path, "cannot read the file");
    free(buf);
    return ok;
}

bool sim_elf_open_mem(sim_elf *elf, const char *name, const void *data, size_t size, char *err,
                      size_t errsize)
{
    memset(elf, 0, sizeof(*elf));
    if (elf_version(EV_CURRENT) == EV_NONE) return sim_error(err, errsize, name, "libelf too old");
    if (size == 0) return sim_error(err, errsize, name, "empty file");
    /* libelf may write to the image it parses; give it a private copy. */
    char *image = malloc(size);
    if (!image) return sim_error(err, errsize, name, "out of memory");
    memcpy(image, data, size);
    const uint8_t *bytes = data;
    uint64_t fsize = size;
    Elf *e = elf_memory(image, size);
    bool ok = false;
    if (!e || elf_kind(e) != ELF_K_ELF) {
        sim_error(err, errsize, name, "not an ELF file");
        goto out;
    }
    GElf_Ehdr eh;
    if (!gelf_getehdr(e, &eh)) {
        sim_error(err, errsize, name, "truncated or corrupt ELF header");
        goto out;
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        sim_error(err, errsize, name, "not a 32-bit little-endian ELF");
        goto out;
    }
    if (eh.e_machine != EM_XTENSA) {
        sim_error(err, errsize, name, "ELF machine %u is not Xtensa (94)", (unsigned)eh.e_machine);
        goto out;
    }
    if (eh.e_type != ET_EXEC) {
        sim_error(err, errsize, name, "not an executable (ELF type %u)", (unsigned)eh.e_type);
        goto out;
    }
    size_t nph;
    if (elf_getphdrnum(e, &nph) != 0) {
        sim_error(err, errsize, name, "truncated or corrupt program headers");
        goto out;
    }
    elf->segs = calloc(nph ? nph : 1, sizeof(*elf->segs));
    if (!elf->segs) {
        sim_error(err, errsize, name, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            sim_error(err, errsize, name, "truncated program header %zu", i);
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset) {
            sim_error(err, errsize, name,
                      "segment %zu (0x%08llx) is truncated: needs bytes up to %llu, file has %llu",
                      i, (unsigned long long)ph.p_paddr,
                      (unsigned long long)(ph.p_offset + ph.p_filesz), (unsigned long long)fsize);
            goto out;
        }
        if (ph.p_filesz > ph.p_memsz) {
            sim_error(err, errsize, name, "segment %zu has file size above memory size", i);
            goto out;
        }
        if (ph.p_paddr + ph.p_memsz > 0x100000000ull) {
            sim_error(err, errsize, name, "segment %zu at 0x%llx wraps the 32-bit address space", i,
                      (unsigned long long)ph.p_paddr);
            goto out;
        }
        sim_elf_segment *s = &elf->segs[elf->nsegs];
        s->paddr = (uint32_t)ph.p_paddr;
        s->filesz = (uint32_t)ph.p_filesz;
        s->memsz = (uint32_t)ph.p_memsz;
        s->data = malloc(s->filesz ? s->filesz : 1);
        if (!s->data) {
            sim_error(err, errsize, name, "out of memory");
            goto out;
        }
        elf->nsegs++;
        memcpy(s->data, bytes + ph.p_offset, s->filesz);
    }
    if (elf->nsegs == 0) {
        sim_error(err, errsize, name, "no loadable segments");
        goto out;
    }
    elf->entry = (uint32_t)eh.e_entry;
    if (!elf_read_symbols(elf, e)) {
        sim_error(err, errsize, name, "out of memory");
        goto out;
    }
    elf->path = strdup(name);
    ok = elf->path != NULL;
out:
    if (e) elf_end(e);
    free(image);
    if (!ok) sim_elf_close(elf);
    return ok;
}

void sim_elf_close(sim_elf *elf)
{
    for (size_t i = 0; i < elf->nsegs; i++)
        free(elf->segs[i].data);
    free(elf->segs);
    for (size_t i = 0; i < elf->nsyms; i++)
        free(elf->syms[i].name);
    free(elf->syms);
    free(elf->path);
    memset(elf, 0, sizeof(*elf));
}

bool sim_elf_load(const sim_elf *elf, sim_bus *bus, char *err, size_t errsize)
{
    static const uint8_t zeros[4096];
    for (size_t i = 0; i < elf->nsegs; i++) {
        const sim_elf_segment *s = &elf->segs[i];
        bool ok = sim_bus_poke(bus, s->paddr, s->data, s->filesz);
        for (uint32_t off = s->filesz; ok && off < s->memsz;) {
            uint32_t n = s->memsz - off > sizeof(zeros) ? (uint32_t)sizeof(zeros) : s->memsz - off;
            ok = sim_bus_poke(bus, s->paddr + off, zeros, n);
            off += n;
        }
        if (!ok)
            return sim_error(err, errsize, elf->path,
                             "segment at 0x%08x-0x%08x is outside every memory region", s->paddr,
                             s->paddr + s->memsz - 1);
    }
    return true;
}

const sim_elf_symbol *sim_elf_symbol_at(const sim_elf *elf, uint32_t addr)
{
    size_t lo = 0, hi = elf->nsyms;
    while (lo < hi) { /* first symbol with address > addr */
        size_t mid = (lo + hi) / 2;
        if (elf->syms[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return NULL;
    const sim_elf_symbol *s = &elf->syms[lo - 1];
    if (s->size ? addr - s->addr < s->size : addr - s->addr < 0x10000u) return s;
    return NULL;
}

bool sim_elf_lookup(const sim_elf *elf, const char *name, uint32_t *addr)
{
    for (size_t i = 0; i < elf->nsyms; i++) {
        if (strcmp(elf->syms[i].name, name) == 0) {
            *addr = elf->syms[i].addr;
            return true;
        }
    }
    return false;
}
