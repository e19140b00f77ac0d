/* sim/cli/cli_view.c — see cli_view.h. Everything is drawn with SDL2's software renderer into
 * one surface (so a screenshot is that surface, and SDL_VIDEODRIVER=dummy renders the same
 * pixels as a window), text with SDL2_ttf (DejaVu Sans Mono), screenshots with SDL2_image.
 * The host clock is used here only to pace drawing to the chosen speed: it never reaches the
 * simulation, except through the user's own clicks, which are logged as actions. */
#include "cli_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>

#define W        1100
#define H        720
#define MAP      700 /* the map is the left MAP x H pixels */
#define TAIL     2   /* UART lines kept per node */
#define LINE_MAX 96
#define FRAMES   512             /* frames kept for drawing */
#define SHOW_PS  300000000000ull /* a frame stays drawn 300 ms of virtual time after its end */
#define FONT     "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#define NSIG     24

typedef struct view_node {
    double x, y;
    char tail[TAIL][LINE_MAX];
    unsigned ntail;
    const char *state; /* "running", "faulted", "off", "halted" */
    unsigned group;
} view_node;

typedef struct view_frame {
    uint64_t t_start, t_end;
    size_t from, to; /* to = SIZE_MAX: group frame */
    bool received, ack;
    radio_cause cause;
} view_frame;

typedef struct view_link {
    uint32_t tx, ok;
} view_link;

struct cli_view {
    const scenario *s;
    cli_view_opts o;
    SDL_Window *win;
    SDL_Surface *surf;
    SDL_Renderer *ren;
    TTF_Font *font;
    view_node *nodes;
    view_link *links; /* nnodes x nnodes */
    view_frame frames[FRAMES];
    size_t nframes_total;
    struct {
        char name[64];
        bool level;
    } sig[NSIG];
    size_t nsig;
    double minx, maxx, miny, maxy;
    uint64_t now, drawn_frames;
    double wall0, wall_paused, last_draw;
    uint64_t virt0;
    bool paused, step_once, quit;
    size_t menu_node; /* SIZE_MAX: no menu */
    bool have_action;
    cli_view_action action;
};

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

cli_view *cli_view_new(const scenario *s, const cli_view_opts *o, char *err, size_t errsize)
{
    cli_view *v = calloc(1, sizeof(*v));
    if (!v) {
        snprintf(err, errsize, "view: out of memory");
        return NULL;
    }
    v->s = s;
    v->o = *o;
    v->paused = o->paused;
    v->menu_node = SIZE_MAX;
    v->nodes = calloc(s->nnodes, sizeof(*v->nodes));
    v->links = calloc(s->nnodes * s->nnodes, sizeof(*v->links));
    if (!v->nodes || !v->links) {
        snprintf(err, errsize, "view: out of memory");
        cli_view_free(v);
        return NULL;
    }
    /* nodes without a position sit on a circle */
    for (size_t i = 0; i < s->nnodes; i++) {
        view_node *n = &v->nodes[i];
        n->state = "running";
        if (s->nodes[i].pos_set) {
            n->x = s->nodes[i].xyz[0];
            n->y = s->nodes[i].xyz[1];
        } else {
            double a = 6.283185307179586 * (double)i / (double)s->nnodes;
            n->x = 10 * cos(a);
            n->y = 10 * sin(a);
        }
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        snprintf(err, errsize, "view: SDL: %s", SDL_GetError());
        cli_view_free(v);
        return NULL;
    }
    char title[256];
    snprintf(title, sizeof(title), "espsim view: %s", s->name ? s->name : s->path);
    v->win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, W, H, 0);
    v->surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
    v->ren = v->surf ? SDL_CreateSoftwareRenderer(v->surf) : NULL;
    if (!v->win || !v->ren) {
        snprintf(err, errsize, "view: SDL: %s", SDL_GetError());
        cli_view_free(v);
        return NULL;
    }
    v->font = TTF_OpenFont(FONT, 13); /* NULL: drawn without text */
    v->wall0 = v->last_draw = wall();
    return v;
}

void cli_view_free(cli_view *v)
{
    if (!v) return;
    if (v->font) TTF_CloseFont(v->font);
    if (v->ren) SDL_DestroyRenderer(v->ren);
    if (v->surf) SDL_FreeSurface(v->surf);
    if (v->win) SDL_DestroyWindow(v->win);
    TTF_Quit();
    SDL_Quit();
    free(v->nodes);
    free(v->links);
    free(v);
}

/* ---- observers ------------------------------------------------------------------------------ */

/* The JSON string value of key in fields (escapes \" \\ and \uXXXX < 0x80 decoded). */
static void json_text(const char *fields, const char *key, char *out, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    const char *p = fields ? strstr(fields, pat) : NULL;
    size_t o = 0;
    if (p)
        for (p += strlen(pat); *p && *p != '"' && o + 1 < size; p++) {
            if (*p == '\\' && p[1] == 'u' && p[2] && p[3] && p[4] && p[5]) {
                unsigned c = (unsigned)strtoul((char[]){p[2], p[3], p[4], p[5], 0}, NULL, 16);
                out[o++] = c >= 32 && c < 127 ? (char)c : '.';
                p += 5;
            } else {
                if (*p == '\\' && p[1]) p++;
                out[o++] = *p;
            }
        }
    out[o] = 0;
}

void cli_view_event(cli_view *v, uint64_t t, size_t node, const char *event, const char *fields)
{
    (void)t;
    const scenario *s = v->s;
    if (!strcmp(event, "action") && fields) {
        char act[32];
        json_text(fields, "action", act, sizeof(act));
        if (!strcmp(act, "move") && node < s->nnodes) {
            const char *p = strstr(fields, "\"position\":[");
            if (p) sscanf(p + 12, "%lf,%lf", &v->nodes[node].x, &v->nodes[node].y);
        } else if (!strcmp(act, "partition")) {
            for (size_t i = 0; i < s->nnodes; i++) {
                char pat[96];
                snprintf(pat, sizeof(pat), "\"%s\":", s->nodes[i].name);
                const char *p = strstr(fields, pat);
                v->nodes[i].group = p ? (unsigned)atoi(p + strlen(pat)) : 0;
            }
        } else if (!strcmp(act, "heal")) {
            for (size_t i = 0; i < s->nnodes; i++)
                v->nodes[i].group = 0;
        }
        return;
    }
    if (node >= s->nnodes) return;
    view_node *n = &v->nodes[node];
    if (!strcmp(event, "uart")) {
        char text[LINE_MAX];
        json_text(fields, "text", text, sizeof(text));
        if (!text[0]) return;
        if (n->ntail == TAIL) {
            memmove(n->tail[0], n->tail[1], (TAIL - 1) * LINE_MAX);
            n->ntail--;
        }
        snprintf(n->tail[n->ntail++], LINE_MAX, "%s", text);
    } else if (!strcmp(event, "fault")) {
        n->state = "faulted";
    } else if (!strcmp(event, "halt")) {
        n->state = "halted";
    } else if (!strcmp(event, "power-off")) {
        n->state = "off";
    } else if (!strcmp(event, "reset") || !strcmp(event, "power-on")) {
        n->state = "running";
    }
}

void cli_view_air(cli_view *v, const radio_air_info *a)
{
    size_t nn = v->s->nnodes;
    view_frame *f = &v->frames[v->nframes_total++ % FRAMES];
    *f = (view_frame){a->t_start_ps, a->t_end_ps, a->from, a->to, a->received, a->is_ack, a->cause};
    if (!a->is_ack && a->to < nn && a->from < nn) {
        view_link *l = &v->links[a->from * nn + a->to];
        l->tx++;
        l->ok += a->received;
    }
}

void cli_view_signal(cli_view *v, const char *name, bool level)
{
    size_t i = 0;
    while (i < v->nsig && strcmp(v->sig[i].name, name) != 0)
        i++;
    if (i == v->nsig) {
        if (v->nsig == NSIG) return;
        snprintf(v->sig[v->nsig++].name, sizeof(v->sig[0].name), "%s", name);
    }
    v->sig[i].level = level;
}

/* ---- drawing -------------------------------------------------------------------------------- */

static void color(cli_view *v, uint32_t rgb)
{
    SDL_SetRenderDrawColor(v->ren, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
}

static void text(cli_view *v, int x, int y, uint32_t rgb, const char *s)
{
    if (!v->font || !s[0]) return;
    SDL_Color c = {(Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255};
    SDL_Surface *ts = TTF_RenderUTF8_Blended(v->font, s, c);
    if (!ts) return;
    SDL_Rect dst = {x, y, ts->w, ts->h};
    SDL_BlitSurface(ts, NULL, v->surf, &dst);
    SDL_FreeSurface(ts);
}

static void disc(cli_view *v, int cx, int cy, int r)
{
    for (int dy = -r; dy <= r; dy++) {
        int dx = (int)sqrt((double)(r * r - dy * dy));
        SDL_RenderDrawLine(v->ren, cx - dx, cy + dy, cx + dx, cy + dy);
    }
}

static void ring(cli_view *v, int cx, int cy, int r)
{
    for (int k = 0; k < 64; k++) {
        double a = 6.283185307179586 * k / 64, b = 6.283185307179586 * (k + 1) / 64;
        SDL_RenderDrawLine(v->ren, cx + (int)(r * cos(a)), cy + (int)(r * sin(a)),
                           cx + (int)(r * cos(b)), cy + (int)(r * sin(b)));
    }
}

static void node_xy(const cli_view *v, size_t i, int *x, int *y)
{
    double minx = v->minx, maxx = v->maxx, miny = v->miny, maxy = v->maxy;
    double sx = maxx > minx ? (MAP - 120) / (maxx - minx) : 1,
           sy = maxy > miny ? (H - 160) / (maxy - miny) : 1;
    double sc = sx < sy ? sx : sy;
    *x = 60 + (int)((v->nodes[i].x - minx) * sc);
    *y = 80 + (int)((v->nodes[i].y - miny) * sc);
}

static void bounds(cli_view *v)
{
    v->minx = v->miny = 1e300;
    v->maxx = v->maxy = -1e300;
    for (size_t i = 0; i < v->s->nnodes; i++) {
        const view_node *n = &v->nodes[i];
        if (n->x < v->minx) v->minx = n->x;
        if (n->x > v->maxx) v->maxx = n->x;
        if (n->y < v->miny) v->miny = n->y;
        if (n->y > v->maxy) v->maxy = n->y;
    }
}

static const char *const menu_items[3] = {"crash", "reset", "power off"};

static void draw(cli_view *v)
{
    const scenario *s = v->s;
    size_t nn = s->nnodes;
    color(v, 0x101418);
    SDL_RenderClear(v->ren);
    color(v, 0x1c232b);
    SDL_Rect panel = {MAP, 0, W - MAP, H};
    SDL_RenderFillRect(v->ren, &panel);
    bounds(v);
    /* links: grey by delivery ratio */
    for (size_t a = 0; a < nn; a++)
        for (size_t b = 0; b < nn; b++) {
            const view_link *l = &v->links[a * nn + b];
            if (!l->tx || a > b) continue;
            const view_link *r = &v->links[b * nn + a];
            double q = (double)(l->ok + r->ok) / (double)(l->tx + r->tx);
            int x1, y1, x2, y2;
            node_xy(v, a, &x1, &y1);
            node_xy(v, b, &x2, &y2);
            uint8_t g = (uint8_t)(60 + 120 * q);
            SDL_SetRenderDrawColor(v->ren, g, g, g, 255);
            SDL_RenderDrawLine(v->ren, x1, y1, x2, y2);
        }
    /* frames on the air recently: green delivered, red lost, orange collided */
    size_t first = v->nframes_total > FRAMES ? v->nframes_total - FRAMES : 0;
    for (size_t k = first; k < v->nframes_total; k++) {
        const view_frame *f = &v->frames[k % FRAMES];
        if (f->t_end + SHOW_PS < v->now || f->from >= nn) continue;
        uint32_t c = f->received                         ? 0x3ad13a
                     : f->cause == RADIO_CAUSE_COLLISION ? 0xff9a1f
                                                         : 0xe8413c;
        if (f->ack) c = 0x6fa8ff;
        color(v, c);
        int x1, y1;
        node_xy(v, f->from, &x1, &y1);
        if (f->to < nn) {
            int x2, y2;
            node_xy(v, f->to, &x2, &y2);
            for (int o = -1; o <= 1; o++)
                SDL_RenderDrawLine(v->ren, x1 + o, y1, x2 + o, y2);
        } else {
            ring(v, x1, y1, 28);
            ring(v, x1, y1, 29);
        }
    }
    /* nodes */
    static const uint32_t group_col[] = {0x9aa5b1, 0xd4a017, 0x8e6cff, 0x2bb5a8, 0xe36bae};
    for (size_t i = 0; i < nn; i++) {
        const view_node *n = &v->nodes[i];
        int x, y;
        node_xy(v, i, &x, &y);
        uint32_t c = !strcmp(n->state, "running")   ? 0x2e86de
                     : !strcmp(n->state, "faulted") ? 0xe8413c
                                                    : 0x57606a;
        color(v, group_col[n->group % 5]);
        disc(v, x, y, 14);
        color(v, c);
        disc(v, x, y, 11);
        text(v, x - 12, y + 16, 0xe6edf3, s->nodes[i].name);
        if (n->ntail && nn <= 6) { /* with more nodes the panel has the tails */
            char t[40];
            snprintf(t, sizeof(t), "%.36s", n->tail[n->ntail - 1]);
            text(v, x - 12, y + 31, 0x8b949e, t);
        }
    }
    /* the node menu */
    if (v->menu_node < nn) {
        int x, y;
        node_xy(v, v->menu_node, &x, &y);
        for (int k = 0; k < 3; k++) {
            SDL_Rect b = {x + 20, y - 30 + 22 * k, 90, 20};
            color(v, 0x30363d);
            SDL_RenderFillRect(v->ren, &b);
            text(v, b.x + 6, b.y + 2, 0xffffff, menu_items[k]);
        }
    }
    /* the panel */
    char buf[256];
    double wall_el = wall() - v->wall0 - v->wall_paused;
    double virt = (double)(v->now - v->virt0) / 1e12;
    snprintf(buf, sizeof(buf), "virtual time %.6f s", (double)v->now / 1e12);
    text(v, MAP + 12, 10, 0xffffff, buf);
    snprintf(buf, sizeof(buf), "speed %s (%.1fx real time)%s",
             v->o.speed == 0   ? "max"
             : v->o.speed == 1 ? "1x"
                               : "10x",
             wall_el > 0 ? virt / wall_el : 0.0, v->paused ? "  PAUSED" : "");
    text(v, MAP + 12, 28, 0xffffff, buf);
    text(v, MAP + 12, 46, 0x8b949e, "space pause  n step  1/2/0 speed 1x/10x/max  q quit");
    text(v, MAP + 12, 62, 0x8b949e, "click a node: crash, reset or power off");
    int y = 90;
    for (size_t i = 0; i < nn && y < H - 150; i++) {
        const view_node *n = &v->nodes[i];
        snprintf(buf, sizeof(buf), "%s [%s]", s->nodes[i].name, n->state);
        text(v, MAP + 12, y, 0xe6edf3, buf);
        y += 16;
        for (unsigned k = 0; k < n->ntail && y < H - 150; k++, y += 15)
            text(v, MAP + 24, y, 0x8b949e, n->tail[k]);
    }
    y = H - 140;
    if (v->nsig) text(v, MAP + 12, y - 18, 0xffffff, "lines");
    for (size_t i = 0; i < v->nsig; i++) {
        int col = (int)(i % 2), row = (int)(i / 2);
        SDL_Rect b = {MAP + 12 + col * 190, y + row * 18, 12, 12};
        color(v, v->sig[i].level ? 0x3ad13a : 0x57606a);
        SDL_RenderFillRect(v->ren, &b);
        text(v, b.x + 18, b.y - 2, 0xc9d1d9, v->sig[i].name);
    }
    text(v, 12, H - 22, 0x8b949e,
         "frames: green delivered, red lost, orange collided, blue ACK; links grey by delivery");
    SDL_RenderPresent(v->ren);
    SDL_Surface *ws = SDL_GetWindowSurface(v->win);
    if (ws) {
        SDL_BlitSurface(v->surf, NULL, ws, NULL);
        SDL_UpdateWindowSurface(v->win);
    }
    v->drawn_frames++;
}

/* ---- input and pacing ----------------------------------------------------------------------- */

static void click(cli_view *v, int mx, int my)
{
    size_t nn = v->s->nnodes;
    if (v->menu_node < nn) {
        int x, y;
        node_xy(v, v->menu_node, &x, &y);
        for (int k = 0; k < 3; k++)
            if (mx >= x + 20 && mx < x + 110 && my >= y - 30 + 22 * k && my < y - 10 + 22 * k) {
                v->action = (cli_view_action){k == 0   ? SCN_ACT_CRASH
                                              : k == 1 ? SCN_ACT_RESET
                                                       : SCN_ACT_POWER_OFF,
                                              SCN_CRASH_EXCEPTION, v->menu_node};
                v->have_action = true;
                v->menu_node = SIZE_MAX;
                return;
            }
    }
    v->menu_node = SIZE_MAX;
    for (size_t i = 0; i < nn; i++) {
        int x, y;
        node_xy(v, i, &x, &y);
        if ((mx - x) * (mx - x) + (my - y) * (my - y) <= 14 * 14) v->menu_node = i;
    }
}

static void poll_input(cli_view *v)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT) v->quit = true;
        if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT)
            click(v, e.button.x, e.button.y);
        if (e.type != SDL_KEYDOWN) continue;
        switch (e.key.keysym.sym) {
        case SDLK_SPACE: v->paused = !v->paused; break;
        case SDLK_n: v->step_once = true; break;
        case SDLK_1: v->o.speed = 1; break;
        case SDLK_2: v->o.speed = 10; break;
        case SDLK_0:
        case SDLK_m: v->o.speed = 0; break;
        case SDLK_q:
        case SDLK_ESCAPE: v->quit = true; break;
        default: break;
        }
    }
}

bool cli_view_step(cli_view *v, uint64_t now, cli_view_action *act, bool *quit)
{
    v->now = now;
    poll_input(v);
    /* paused: draw and wait for input, time frozen */
    while (v->paused && !v->step_once && !v->quit && !v->have_action &&
           !(v->o.frames && v->drawn_frames >= v->o.frames)) {
        double t0 = wall();
        draw(v);
        SDL_Delay(30);
        poll_input(v);
        v->wall_paused += wall() - t0;
    }
    v->step_once = false;
    /* pace: virtual time no faster than speed x wall time */
    if (v->o.speed) {
        for (;;) {
            double wall_el = wall() - v->wall0 - v->wall_paused;
            double virt = (double)(now - v->virt0) / 1e12;
            if (virt <= wall_el * v->o.speed) break;
            double wait = virt / v->o.speed - wall_el;
            if (wall() - v->last_draw > 0.033) {
                draw(v);
                v->last_draw = wall();
            }
            SDL_Delay((Uint32)(wait > 0.02 ? 20 : wait * 1000 + 1));
            poll_input(v);
            if (v->quit || v->paused) break;
        }
    }
    if (wall() - v->last_draw > 0.033 || v->o.frames) {
        draw(v);
        v->last_draw = wall();
    }
    if (v->o.frames && v->drawn_frames >= v->o.frames) v->quit = true;
    if (v->o.stop_ps && now >= v->o.stop_ps) v->quit = true;
    *quit = v->quit;
    if (v->have_action) {
        v->have_action = false;
        *act = v->action;
        return true;
    }
    return false;
}

void cli_view_finish(cli_view *v, uint64_t end)
{
    v->now = end;
    draw(v);
    if (v->o.screenshot && IMG_SavePNG(v->surf, v->o.screenshot) != 0)
        fprintf(stderr, "espsim: view: cannot write %s: %s\n", v->o.screenshot, IMG_GetError());
}
