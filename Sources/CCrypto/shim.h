#ifndef STRATA_CCRYPTO_SHIM_H
#define STRATA_CCRYPTO_SHIM_H
/* OpenSSL's libcrypto: SHA-256 with hardware acceleration, and no package to compile. */
#include <openssl/sha.h>
#include <openssl/evp.h>
#endif
