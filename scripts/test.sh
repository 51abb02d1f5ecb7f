#!/usr/bin/env bash
# One command for a fresh machine: install everything, lint, type-check, then run the whole suite twice,
# on SQLite and on a real PostgreSQL cluster that pg_virtualenv creates and drops.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"

ensure_debian_packages "${TEST_PACKAGES[@]}"
command -v npm >/dev/null || ensure_debian_packages nodejs npm
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
pg_virtualenv -t -o fsync=off sh -c 'UPR_TEST_DATABASE_URL=postgresql+psycopg:// python -m pytest "$@"' sh "$@"
