#!/usr/bin/env bash
# The interface's catalogues (translations/<language>/LC_MESSAGES/messages.po), with pybabel:
#   scripts/translations.sh extract [POT]  collect every message of the code, templates and command help
#                                     (click's own words included) into messages.pot (or POT)
#   scripts/translations.sh update    merge messages.pot into each language's messages.po
#   scripts/translations.sh compile   compile the .po files to the .mo files the app reads
#   scripts/translations.sh add LANG  start a catalogue for a new language (then add it to crm/i18n.py)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
keywords=(-k _ -k gettext -k ngettext:1,2 -k lazy_gettext -k _l -k pgettext:1c,2 -k npgettext:1c,2,3 -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 -k gettext_outside_app)
case "${1:-}" in
  extract)
    template="${2:-translations/messages.pot}"
    pybabel -q extract -F babel.cfg --no-default-keywords "${keywords[@]}" --sort-by-file \
      --project "UPR Outreach" --copyright-holder "UPR Outreach" --msgid-bugs-address outreach@example.org \
      -o "$template" .
    python -m upr.help_extraction "$template" ;;
  update)
    pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete ;;
  compile)
    pybabel -q compile -d translations ;;
  add)
    pybabel init -i translations/messages.pot -d translations -l "${2:?name the language, e.g. ar}" ;;
  *)
    echo "usage: $0 extract|update|compile|add LANG" >&2; exit 2 ;;
esac
