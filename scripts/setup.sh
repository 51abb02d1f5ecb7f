#!/usr/bin/env bash
# Installs the app and its development tools into .venv (idempotent). Sourced by demo.sh and test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/system-packages.sh"
ensure_debian_packages "${RUNTIME_PACKAGES[@]}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# A stamp keeps repeated runs fast: reinstall only when pyproject.toml changed.
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
    # This machine's pip config names local mirror folders that may be absent; their warnings are noise.
    .venv/bin/python -m pip install --quiet --upgrade pip 2> >(grep -v "^WARNING: Location" >&2)
    .venv/bin/python -m pip install --quiet -e ".[dev]" 2> >(grep -v "^WARNING: Location" >&2)
    rm -f .venv/.installed-* && touch "$stamp"
fi
export PATH="$root/.venv/bin:$PATH"
# The import's busiest modules compiled by mypyc where a C compiler is here (again only when their
# sources changed); without the build they run as plain Python, to the same effect.
if command -v cc >/dev/null 2>&1; then
    .venv/bin/python -c 'import sys; from crm.recommendations.compiled import main; sys.exit(main(sys.argv[1:]))' \
        build --if-stale || echo "setup: the compiled modules were not built; imports run as plain Python" >&2
fi
# The gettext catalogues of translations/ are kept as .po; the app reads them compiled (.mo).
pybabel -q compile -d translations
