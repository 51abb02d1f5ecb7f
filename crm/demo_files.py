"""The demo's source files (``data/demo/``, taken from the seed documents) and how to read them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_date(value: object) -> date | None:
    """A full ISO date, or None for a missing or partial one ("2019-03" is only a month)."""
    if isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)
    return None
