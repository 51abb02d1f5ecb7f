"""Checks the shipped reference list of states (data/states.csv) with the standard library only.

The CSV is what the app loads into its ``State`` table; these tests guard its shape, the UN regional
group counts documented in data/states.SOURCE.md, the absence of ambiguous aliases, and that every
state name printed in the source documents (shared/seeds/) resolves to the right state.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

CSV_PATH = Path(__file__).resolve().parents[1] / "data" / "states.csv"
HEADER = ["alpha3", "name", "formal_name", "regional_group", "status", "aliases"]
GROUPS = {"African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG"}

# Rows per regional_group value, as documented in data/states.SOURCE.md.
# Asia-Pacific is 54 members (53 + Kiribati) plus the State of Palestine (observer); "" is the Holy See.
GROUP_COUNTS = {
    "African": 54,
    "Asia-Pacific": 55,
    "Eastern European": 23,
    "GRULAC": 33,
    "WEOG": 29,
    "": 1,
}
MEMBER_GROUP_COUNTS = {"African": 54, "Asia-Pacific": 54, "Eastern European": 23, "GRULAC": 33, "WEOG": 29}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# Every state name as printed in the source documents in shared/seeds/ (possessive 's dropped).
# 000: annex of 2018 recommendations to China (and the guide's text); 001: explainer on the 2024 review;
# 002: testimony on the 2024 review; 003: HRIC's 2018 appeal to 20 governments; 004: BCU research report.
# Left out on purpose: "EU" (003, not a state) and "France Germany" (002, a missing comma between two
# states in a list: it must not become an alias of either).
# fmt: off
SEED_NAMES = [
    # 000
    "Argentina", "Australia", "Austria", "Brazil", "Canada", "Chile", "China", "Congo", "Costa Rica",
    "Croatia", "Czechia", "Denmark", "Dominican Republic", "Ecuador", "Estonia", "Ethiopia", "Fiji",
    "Finland", "France", "Germany", "Greece", "Haiti", "Iceland", "Ireland", "Italy", "Jordan", "Kenya",
    "Kyrgyzstan", "Latvia", "Liechtenstein", "Luxembourg", "Mozambique", "Netherlands",
    "People's Republic of China", "Peru", "Philippines", "Plurinational State of Bolivia", "Poland",
    "Portugal", "Republic of Moldova", "Serbia", "Seychelles", "Slovenia", "Spain", "State of Palestine",
    "Sweden", "Switzerland", "Ukraine", "United Arab Emirates", "United Kingdom", "United States of America",
    "Uruguay",
    # 001
    "United States", "U.S.", "Saudi Arabia",
    # 002
    "PRC", "Benin", "Bulgaria", "Colombia", "Côte d’Ivoire", "Kazakhstan", "Lithuania", "Malta",
    "Marshall Islands", "the Marshall Islands", "Mexico", "Montenegro", "the Netherlands", "New Zealand",
    "Norway", "Paraguay", "Rwanda", "United Kingdom of Great Britain and Northern Ireland",
    "the United States of America",
    # 003
    "Czech Republic", "Japan", "Pakistan", "UK", "US",
    # 004
    "Aotearoa New Zealand", "Bahrain", "Bangladesh", "Botswana", "Burkina Faso", "Burma/Myanmar", "Burma",
    "Myanmar", "Egypt", "Indonesia", "Jamaica", "Kingdom of Saudi Arabia", "Malaysia", "Namibia", "Nepal",
    "Nigeria", "Republic of Korea", "Samoa", "Sierra Leone", "Somalia", "South Africa", "USA", "Vietnam",
]
# fmt: on

SEED_EXPECTED = {
    "Argentina": "ARG",
    "Australia": "AUS",
    "Austria": "AUT",
    "Brazil": "BRA",
    "Canada": "CAN",
    "Chile": "CHL",
    "China": "CHN",
    "Congo": "COG",
    "Costa Rica": "CRI",
    "Croatia": "HRV",
    "Czechia": "CZE",
    "Denmark": "DNK",
    "Dominican Republic": "DOM",
    "Ecuador": "ECU",
    "Estonia": "EST",
    "Ethiopia": "ETH",
    "Fiji": "FJI",
    "Finland": "FIN",
    "France": "FRA",
    "Germany": "DEU",
    "Greece": "GRC",
    "Haiti": "HTI",
    "Iceland": "ISL",
    "Ireland": "IRL",
    "Italy": "ITA",
    "Jordan": "JOR",
    "Kenya": "KEN",
    "Kyrgyzstan": "KGZ",
    "Latvia": "LVA",
    "Liechtenstein": "LIE",
    "Luxembourg": "LUX",
    "Mozambique": "MOZ",
    "Netherlands": "NLD",
    "People's Republic of China": "CHN",
    "Peru": "PER",
    "Philippines": "PHL",
    "Plurinational State of Bolivia": "BOL",
    "Poland": "POL",
    "Portugal": "PRT",
    "Republic of Moldova": "MDA",
    "Serbia": "SRB",
    "Seychelles": "SYC",
    "Slovenia": "SVN",
    "Spain": "ESP",
    "State of Palestine": "PSE",
    "Sweden": "SWE",
    "Switzerland": "CHE",
    "Ukraine": "UKR",
    "United Arab Emirates": "ARE",
    "United Kingdom": "GBR",
    "United States of America": "USA",
    "Uruguay": "URY",
    "United States": "USA",
    "U.S.": "USA",
    "Saudi Arabia": "SAU",
    "PRC": "CHN",
    "Benin": "BEN",
    "Bulgaria": "BGR",
    "Colombia": "COL",
    "Côte d’Ivoire": "CIV",
    "Kazakhstan": "KAZ",
    "Lithuania": "LTU",
    "Malta": "MLT",
    "Marshall Islands": "MHL",
    "the Marshall Islands": "MHL",
    "Mexico": "MEX",
    "Montenegro": "MNE",
    "the Netherlands": "NLD",
    "New Zealand": "NZL",
    "Norway": "NOR",
    "Paraguay": "PRY",
    "Rwanda": "RWA",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "the United States of America": "USA",
    "Czech Republic": "CZE",
    "Japan": "JPN",
    "Pakistan": "PAK",
    "UK": "GBR",
    "US": "USA",
    "Aotearoa New Zealand": "NZL",
    "Bahrain": "BHR",
    "Bangladesh": "BGD",
    "Botswana": "BWA",
    "Burkina Faso": "BFA",
    "Burma/Myanmar": "MMR",
    "Burma": "MMR",
    "Myanmar": "MMR",
    "Egypt": "EGY",
    "Indonesia": "IDN",
    "Jamaica": "JAM",
    "Kingdom of Saudi Arabia": "SAU",
    "Malaysia": "MYS",
    "Namibia": "NAM",
    "Nepal": "NPL",
    "Nigeria": "NGA",
    "Republic of Korea": "KOR",
    "Samoa": "WSM",
    "Sierra Leone": "SLE",
    "Somalia": "SOM",
    "South Africa": "ZAF",
    "USA": "USA",
    "Vietnam": "VNM",
}


def normalise(name: str) -> str:
    """Case-fold after NFKC, with curly apostrophes made straight and whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def loose(name: str) -> str:
    """The looser key the app's resolver also uses: accents stripped and a leading "the" dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"^the\s+", "", normalise(plain))


def aliases(row: dict[str, str]) -> list[str]:
    return [alias for alias in row["aliases"].split("|") if alias]


@pytest.fixture(scope="module")
def raw() -> bytes:
    return CSV_PATH.read_bytes()


@pytest.fixture(scope="module")
def rows(raw: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(raw.decode("utf-8").splitlines())
    assert reader.fieldnames == HEADER
    return list(reader)


@pytest.fixture(scope="module")
def codes_by_key(rows: list[dict[str, str]]) -> dict[str, set[str]]:
    """Normalised name or alias -> every state it names."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for written in [row["name"], *aliases(row)]:
            found[normalise(written)].add(row["alpha3"])
    return found


def test_encoding_is_utf8_without_bom(raw: bytes) -> None:
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")


def test_every_row_is_complete(raw: bytes) -> None:
    records = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert records[0] == HEADER
    assert all(len(record) == len(HEADER) for record in records)


def test_member_and_observer_counts(rows: list[dict[str, str]]) -> None:
    assert len(rows) == 195
    assert Counter(row["status"] for row in rows) == {"member": 193, "observer": 2}
    assert {row["alpha3"] for row in rows if row["status"] == "observer"} == {"VAT", "PSE"}


def test_codes_are_unique_upper_case_alpha3_and_sorted(rows: list[dict[str, str]]) -> None:
    codes = [row["alpha3"] for row in rows]
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)


def test_names_are_unique_and_filled(rows: list[dict[str, str]]) -> None:
    names = [normalise(row["name"]) for row in rows]
    assert all(names)
    assert len(set(names)) == len(names)
    assert all(row["formal_name"].strip() for row in rows)
    for row in rows:
        for value in row.values():
            assert value == value.strip()


def test_un_names_as_the_un_writes_them(rows: list[dict[str, str]]) -> None:
    name = {row["alpha3"]: row["name"] for row in rows}
    assert name["BOL"] == "Bolivia (Plurinational State of)"
    assert name["CIV"] == "Côte d'Ivoire"
    assert name["CZE"] == "Czechia"
    assert name["GBR"] == "United Kingdom of Great Britain and Northern Ireland"
    assert name["NLD"] == "Netherlands (Kingdom of the)"
    assert name["TUR"] == "Türkiye"
    assert name["VAT"] == "Holy See"
    assert name["PSE"] == "State of Palestine"


def test_every_member_has_one_of_the_five_groups(rows: list[dict[str, str]]) -> None:
    for row in rows:
        if row["status"] == "member":
            assert row["regional_group"] in GROUPS, row["alpha3"]
    group = {row["alpha3"]: row["regional_group"] for row in rows}
    assert group["VAT"] == ""
    assert group["PSE"] == "Asia-Pacific"
    assert group["USA"] == group["TUR"] == group["ISR"] == "WEOG"
    assert group["KIR"] == "Asia-Pacific"


def test_group_counts(rows: list[dict[str, str]]) -> None:
    assert Counter(row["regional_group"] for row in rows) == GROUP_COUNTS
    members = Counter(row["regional_group"] for row in rows if row["status"] == "member")
    assert members == MEMBER_GROUP_COUNTS
    assert sum(MEMBER_GROUP_COUNTS.values()) == 193


def test_aliases_are_clean(rows: list[dict[str, str]]) -> None:
    for row in rows:
        own = aliases(row)
        assert all(alias == alias.strip() for alias in own), row["alpha3"]
        assert normalise(row["name"]) not in {normalise(alias) for alias in own}, row["alpha3"]
        assert len({normalise(alias) for alias in own}) == len(own), row["alpha3"]


def test_no_name_or_alias_names_two_states(rows: list[dict[str, str]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        # Codes count too: the app resolves "FRA" as well as "France".
        for written in [row["alpha3"], row["name"], *aliases(row)]:
            owners[normalise(written)].add(row["alpha3"])
            owners[loose(written)].add(row["alpha3"])
    ambiguous = {key: sorted(codes) for key, codes in owners.items() if len(codes) > 1}
    assert ambiguous == {}


def test_ambiguous_short_forms_go_to_one_state_only(codes_by_key: dict[str, set[str]]) -> None:
    assert codes_by_key["korea"] == {"KOR"}
    assert codes_by_key["congo"] == {"COG"}
    assert codes_by_key["guinea"] == {"GIN"}
    assert codes_by_key["sudan"] == {"SDN"}
    assert codes_by_key["niger"] == {"NER"}


def test_seed_list_and_expectations_agree() -> None:
    assert len(set(SEED_NAMES)) == len(SEED_NAMES)
    assert set(SEED_NAMES) == set(SEED_EXPECTED)


@pytest.mark.parametrize("seed_name", SEED_NAMES)
def test_seed_name_resolves_to_exactly_one_state(seed_name: str, codes_by_key: dict[str, set[str]]) -> None:
    assert codes_by_key.get(normalise(seed_name)) == {SEED_EXPECTED[seed_name]}
