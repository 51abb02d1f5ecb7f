#!/usr/bin/env bash
# One command for a fresh machine: install everything, lint, type-check, then run the whole suite twice,
# on SQLite and on a real PostgreSQL cluster that pg_virtualenv creates and drops.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"

# System parts the tests drive for real: Chromium (browser tests), PostgreSQL (second run), CJK fonts (PDFs).
need=()
command -v chromium >/dev/null || need+=(chromium chromium-driver)
command -v pg_virtualenv >/dev/null || need+=(postgresql postgresql-common)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing system packages: ${need[*]}. Install them with apt-get (needs root)." >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Mozilla's ical.js, the independent parser the calendar tests check every feed with.
if [ -f tests/js/package.json ] && [ ! -d tests/js/node_modules ]; then
    (cd tests/js && npm ci --silent --no-audit --no-fund)
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

echo "== ruff"; ruff check .
echo "== mypy"; mypy
echo "== pytest on SQLite"
python -m pytest "$@"
echo "== pytest on PostgreSQL"
# An empty URL after the driver name lets libpq read the PG* variables pg_virtualenv exports.
pg_virtualenv -o fsync=off sh -c 'UPR_TEST_DATABASE_URL=postgresql+psycopg:// python -m pytest "$@"' sh "$@"
