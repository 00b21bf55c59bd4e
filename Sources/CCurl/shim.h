#ifndef STRATA_CCURL_SHIM_H
#define STRATA_CCURL_SHIM_H
/*
 * libcurl's types and constants only: strata does not link libcurl. Its dependency tree (TLS,
 * Kerberos, LDAP, SSH, ...) is some 30 libraries that cost every strata process ~7 ms to map and
 * initialise, so the registry client loads it with dlopen on first use (CurlLibrary.swift).
 */
#include <curl/curl.h>

/* curl_easy_setopt is variadic, which Swift cannot call: typed calls through the loaded symbol. */
typedef CURLcode (*strata_curl_setopt_fn)(CURL *, CURLoption, ...);
static inline CURLcode strata_curl_setopt_long(void *f, CURL *c, CURLoption o, long v) { return ((strata_curl_setopt_fn)f)(c, o, v); }
static inline CURLcode strata_curl_setopt_ptr(void *f, CURL *c, CURLoption o, const void *v) { return ((strata_curl_setopt_fn)f)(c, o, v); }
static inline CURLcode strata_curl_setopt_str(void *f, CURL *c, CURLoption o, const char *v) { return ((strata_curl_setopt_fn)f)(c, o, v); }
typedef size_t (*strata_curl_write_cb)(char *, size_t, size_t, void *);
static inline CURLcode strata_curl_setopt_write(void *f, CURL *c, CURLoption o, strata_curl_write_cb cb) { return ((strata_curl_setopt_fn)f)(c, o, cb); }

/* Macros Swift does not import. */
static inline long strata_curl_global_default(void) { return CURL_GLOBAL_DEFAULT; }
static inline int strata_curl_pause_continue(void) { return CURLPAUSE_CONT; }
static inline size_t strata_curl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
/* The result of a finished transfer, out of CURLMsg's union. */
static inline CURLcode strata_curl_msg_result(CURLMsg *m) { return m->data.result; }
#endif
