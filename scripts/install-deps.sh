#!/usr/bin/env bash
# Installs the Debian packages strata needs to build and test, when they are missing.
# Safe to run repeatedly: it only calls apt-get for what dpkg does not have.
set -euo pipefail
packages=(
  pkg-config zlib1g-dev libzstd-dev libncurses-dev libvectorscan-dev libpcre2-dev
  libsqlite3-dev libcurl4-openssl-dev libssl-dev
  tmux docker-registry skopeo apache2-utils openssl python3 python3-venv git ca-certificates zstd curl time
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "strata: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
