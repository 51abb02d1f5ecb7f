#!/usr/bin/env bash
# One command for a fresh machine: install, create the SQLite database, load the demo data, serve the app.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/setup.sh"
cd "$root"
export UPR_ENV="${UPR_ENV:-demo}"
upr db upgrade
upr demo
exec upr serve --host "${UPR_HOST:-127.0.0.1}" --port "${UPR_PORT:-5000}"
