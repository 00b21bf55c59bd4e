#ifndef STRATA_CZLIB_SHIM_H
#define STRATA_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro and does not import into Swift. 15 + 32: auto-detect gzip or zlib. */
static inline int strata_inflate_init_auto(z_stream *s) { return inflateInit2(s, 15 + 32); }
/* gzip only (a member start found by random access). */
static inline int strata_inflate_init_gzip(z_stream *s) { return inflateInit2(s, 15 + 16); }
/* Raw deflate (zip members, and resuming a gzip blob at a checkpoint). */
static inline int strata_inflate_init_raw(z_stream *s) { return inflateInit2(s, -15); }
/* gzip writer for test images: 15 + 16 selects a gzip wrapper. */
static inline int strata_deflate_init_gzip(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
