#!/usr/bin/env bash
# ensure_debian_packages PKG...: installs the Debian packages that are missing (needs root for apt-get).
ensure_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
# What the app itself needs: PDF exports (WeasyPrint's Pango) with Chinese text (Noto CJK fonts).
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk)
# What the tests drive for real: Chromium and the PostgreSQL server tools (node comes apart: see test.sh).
TEST_PACKAGES=(chromium chromium-driver postgresql postgresql-common)
