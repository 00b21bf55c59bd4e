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
#endif
