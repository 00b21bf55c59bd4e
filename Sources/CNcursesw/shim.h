#ifndef STRATA_CNCURSESW_SHIM_H
#define STRATA_CNCURSESW_SHIM_H
/* SwiftPM drops pkg-config -D flags: without these the wide API silently vanishes. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

/* Macros that do not import into Swift. */
static inline attr_t strata_curses_a_normal(void) { return A_NORMAL; }
static inline attr_t strata_curses_a_bold(void) { return A_BOLD; }
static inline attr_t strata_curses_a_underline(void) { return A_UNDERLINE; }
static inline attr_t strata_curses_a_reverse(void) { return A_REVERSE; }
static inline attr_t strata_curses_a_dim(void) { return A_DIM; }
static inline attr_t strata_curses_color_pair(int n) { return COLOR_PAIR(n); }
static inline int strata_curses_key_f(int n) { return KEY_F(n); }
static inline int strata_curses_maxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int strata_curses_maxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }
static inline WINDOW *strata_curses_stdscr(void) { return stdscr; }
static inline mmask_t strata_curses_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t strata_curses_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t strata_curses_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t strata_curses_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
#endif
