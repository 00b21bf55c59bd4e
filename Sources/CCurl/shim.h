#ifndef STRATA_CCURL_SHIM_H
#define STRATA_CCURL_SHIM_H
#include <curl/curl.h>
/* curl_easy_setopt / getinfo are variadic: typed wrappers for Swift. */
static inline CURLcode strata_curl_setopt_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode strata_curl_setopt_ptr(CURL *c, CURLoption o, const void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode strata_curl_setopt_str(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
typedef size_t (*strata_curl_write_cb)(char *, size_t, size_t, void *);
static inline CURLcode strata_curl_setopt_write(CURL *c, CURLoption o, strata_curl_write_cb f) { return curl_easy_setopt(c, o, f); }
static inline CURLcode strata_curl_getinfo_long(CURL *c, CURLINFO i, long *v) { return curl_easy_getinfo(c, i, v); }
static inline CURLcode strata_curl_getinfo_str(CURL *c, CURLINFO i, char **v) { return curl_easy_getinfo(c, i, v); }
/* Header callbacks share the write callback's signature (CURLOPT_HEADERFUNCTION). */
static inline CURLcode strata_curl_setopt_header(CURL *c, strata_curl_write_cb f) { return curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, f); }
/* Macros Swift does not import. */
static inline CURLcode strata_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static inline CURLcode strata_curl_unpause(CURL *c) { return curl_easy_pause(c, CURLPAUSE_CONT); }
static inline size_t strata_curl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
/* The result of a finished transfer, out of CURLMsg's union. */
static inline CURLcode strata_curl_msg_result(CURLMsg *m) { return m->data.result; }
#endif
