"""States' names in the UN's six languages: the shipped file against the field's file and against CLDR,
and the forms French and Spanish sentences need."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from babel import Locale
from babel.core import get_global

from crm.state_names import NAMES_FILE, state_name

REAL = Path(__file__).resolve().parent / "data" / "real" / "un-country-names-6-languages.xlsx"
LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")
# The sample of data/un_state_names.SOURCE.md, and the differences it found (the UN's fuller forms).
SAMPLE = {
    "CHE": "CH", "CHN": "CN", "SWE": "SE", "FRA": "FR", "DEU": "DE", "CAN": "CA", "USA": "US", "GBR": "GB",
    "BRA": "BR", "KEN": "KE", "CZE": "CZ", "AUS": "AU", "IRL": "IE", "NLD": "NL", "ARG": "AR", "CRI": "CR",
    "ISR": "IL", "MEX": "MX", "JPN": "JP", "EGY": "EG",
}  # fmt: skip
KNOWN_DIFFERENCES = {
    "fr": {"USA", "GBR"},
    "es": {"USA", "GBR", "KEN"},
    "ru": {"USA", "GBR"},
    "zh": {"USA", "GBR", "NLD"},
    "ar": {"USA", "GBR", "CZE"},
}


def _shipped() -> dict[str, dict[str, str]]:
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["alpha3"]: row for row in csv.DictReader(handle)}


def test_every_state_has_its_names_as_the_field_file_writes_them() -> None:
    shipped = _shipped()
    with (NAMES_FILE.parent / "states.csv").open(encoding="utf-8", newline="") as handle:
        codes = {row["alpha3"] for row in csv.DictReader(handle)}
    assert set(shipped) == codes
    sheet = openpyxl.load_workbook(REAL, read_only=True).active
    # Observer states are starred in the file ("Holy See (the) *"); the star is all that was removed.
    rows = [
        [re.sub(r"\s*\*+$", "", str(value or "").strip()) for value in row]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] and row[1]
    ]
    by_english = {row[0]: row for row in rows}
    for row in shipped.values():
        source = by_english[row["en_short"]]
        assert [row[f"{lang}_short"] for lang in LANGUAGES] == source[:6]
        assert [row[f"{lang}_formal"] for lang in LANGUAGES] == source[6:12]


@pytest.mark.parametrize("language", ["fr", "es", "ru", "zh", "ar"])
def test_a_sample_agrees_with_cldr_but_for_the_un_s_fuller_forms(language: str) -> None:
    shipped = _shipped()
    territories = Locale(language).territories
    differing = {
        code
        for code, alpha2 in SAMPLE.items()
        if re.sub(r"\s*\([^)]*\)$", "", shipped[code][f"{language}_short"]) != territories[alpha2]
    }
    assert differing == KNOWN_DIFFERENCES[language]


def test_french_and_spanish_sentences_get_their_articles() -> None:
    swiss = state_name("CHE", "fr", "Switzerland")
    assert (swiss.name, swiss.of, swiss.to, swiss.capitalised) == (
        "la Suisse",
        "de la Suisse",
        "à la Suisse",
        "La Suisse",
    )
    assert (state_name("CAN", "fr", "").of, state_name("CAN", "fr", "").to) == ("du Canada", "au Canada")
    assert state_name("USA", "fr", "").of == "des États-Unis d'Amérique"
    assert state_name("DEU", "fr", "").of == "de l'Allemagne"
    assert state_name("ISR", "fr", "").of == "d'Israël"
    assert state_name("IRN", "fr", "").name == "la République islamique d'Iran"
    assert state_name("CAN", "es", "").of == "del Canadá"
    assert state_name("CHE", "es", "").of == "de Suiza"
    assert state_name("CHN", "en", "").possessive == "China's"
    assert state_name("GBR", "en", "").capitalised.startswith("The United Kingdom")
    assert state_name("GBR", "ru", "").name.startswith("Соединенное Королевство")  # the empty short cell
    assert str(state_name("CHN", "zh", "China")) == "中国"
    assert state_name("XKX", "fr", "Kosovo").name == "Kosovo"  # not a UN state: the name given


# Every state against CLDR (Babel 2.19), the short name with its brackets removed: how many differ in each
# language, as data/un_state_names.SOURCE.md records them.
DIFFERING_FROM_CLDR = {"en": 25, "fr": 27, "es": 41, "ru": 26, "zh": 19, "ar": 40}


def _alpha2(code: str) -> str:
    return str(get_global("territory_aliases")[code][0])


@pytest.mark.parametrize("language", sorted(DIFFERING_FROM_CLDR))
def test_every_state_against_cldr_differs_only_in_form_never_in_which_state(language: str) -> None:
    shipped = _shipped()
    territories = Locale(language).territories
    codes_by_cldr_name = {territories[_alpha2(code)]: code for code in shipped}
    differing = 0
    for code, row in shipped.items():
        un_name = re.sub(r"\s*\([^)]*\)$", "", row[f"{language}_short"])
        if un_name != territories[_alpha2(code)]:
            differing += 1
            # A differing UN name is never what CLDR calls another state.
            assert codes_by_cldr_name.get(un_name, code) == code, (language, code, un_name)
    assert differing == DIFFERING_FROM_CLDR[language]
