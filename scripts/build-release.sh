#!/usr/bin/env bash
# scripts/build-release.sh -- the one way strata's release binary is built (make release, the benches).
#
# The Swift runtime and Foundation are linked statically (-static-stdlib): resolving them at every
# start cost ~5 ms of a 13 ms `strata --version` and of a 38 ms cached re-scan (measured with
# `perf stat -r 30`). The binary grows from 19 to 89 MB (ICU's data is inside); the C libraries
# (zlib, Vectorscan, PCRE2, SQLite, ncurses, OpenSSL's libcrypto) stay shared, libcurl is dlopen'ed.
# Extra arguments go to `swift build` (e.g. --product strata).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${SWIFT:-swift}" build -c release -Xswiftc -static-stdlib "$@"
