"""Themes from the wording, for files that carry none: the keyword map of ``data/theme_keywords.csv``."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

THEME_KEYWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "theme_keywords.csv"


class ThemeMap:
    """The keyword map of ``data/theme_keywords.csv`` compiled into one pattern."""

    def __init__(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        self._themes: list[str] = []
        parts = []
        for index, (theme, keywords) in enumerate(entries):
            self._themes.append(theme)
            alternatives = "|".join(
                re.escape(k.rstrip("*")).replace(r"\ ", r"\s+") + (r"\w*" if k.endswith("*") else "")
                for k in keywords
            )
            parts.append(f"(?P<t{index}>{alternatives})")
        self._pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b") if parts else None

    @classmethod
    def from_file(cls, path: Path = THEME_KEYWORDS_FILE) -> ThemeMap:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [
                (
                    row["theme"].strip(),
                    [k.strip().casefold() for k in row["keywords"].split("|") if k.strip()],
                )
                for row in csv.DictReader(handle)
            ]
        return cls(rows)

    def themes_for(self, text: str) -> list[str]:
        if self._pattern is None:
            return []
        found = {match.lastgroup or "" for match in self._pattern.finditer(text.casefold())} - {""}
        return [self._themes[int(group[1:])] for group in sorted(found, key=lambda g: int(g[1:])) if group]


@lru_cache(maxsize=1)
def default_theme_map() -> ThemeMap:
    return ThemeMap.from_file()
