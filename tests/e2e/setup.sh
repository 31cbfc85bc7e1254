#!/usr/bin/env bash
# Install what the browser tests (tests/e2e) need on a fresh Debian machine. Idempotent:
#   - Debian's chromium (/usr/bin/chromium), plus an emoji font for faithful screenshots;
#   - the npm packages serving folium's CDN assets offline (tests/e2e/node_modules),
#     installed from package-lock.json with `npm ci`, again only when the lock changed.
# Never runs `playwright install`: Playwright drives the Debian chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || apt_packages+=(fonts-noto-color-emoji)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "e2e setup: apt-get install ${apt_packages[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}"
fi

lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.e2e-lock.sha256"
if [ -f node_modules/leaflet/dist/leaflet.js ] && [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ]; then
    echo "e2e setup: node_modules up to date"
else
    echo "e2e setup: npm ci in tests/e2e"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$lock_sum" > "$stamp"
fi

echo "e2e setup: ready ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
