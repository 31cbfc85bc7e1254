#!/usr/bin/env bash
# Install what the browser tests (tests/e2e) need on a fresh Debian machine. Idempotent:
# Debian's chromium (/usr/bin/chromium), plus an emoji font for faithful screenshots.
# The maps' libraries are committed (static/vendor): the tests need no npm and no network.
# Never runs `playwright install`: Playwright drives the Debian chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || apt_packages+=(fonts-noto-color-emoji)
if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "e2e setup: apt-get install ${apt_packages[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}"
fi

echo "e2e setup: ready ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
