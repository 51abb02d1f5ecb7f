"""``upr bench import-recommendations``: the importer against a bare ``sqlite3`` ``executemany``."""

from __future__ import annotations

import csv
import random
import resource
import sqlite3
import tempfile
from pathlib import Path

from upr.bench import Measurement, Stopwatch, Workload, bench_database

ROWS = 100_000
HEADER = [
    "Recommendation",
    "Paragraph",
    "Recommending State",
    "State under Review",
    "Session",
    "Cycle",
    "Response",
    "Action Category",
    "Issues",
]
VERBS = ("Ratify", "Continue to", "Consider", "Ensure", "Strengthen", "Abolish", "Share", "Take measures to")
OBJECTS = (
    "the Convention against Torture",
    "the rights of women and girls in rural areas",
    "freedom of expression, including on the Internet",
    "the independence of lawyers",
    "the death penalty by 2030",
    "education for children of ethnic minorities",
)
STATES = (
    "Sweden",
    "Czech Republic",
    "Iran (Islamic Republic of)",
    "Côte d'Ivoire",
    "Turkey",
    "Brazil; Chile",
    "United Kingdom of Great Britain and Northern Ireland",
    "Republic of Moldova",
    "State of Palestine",
)
RESPONSES = ("Supported", "Noted", "Supported in part", "Accepted and already implemented")
ISSUES = ("Torture", "Women's rights; Rural areas", "Freedom of expression", "Death penalty", "Education")


def write_sample(path: Path, rows: int) -> list[tuple[str, str, str]]:
    """A UPR Info-layout CSV of ``rows`` recommendations; returns the floor's (number, text, response)."""
    chooser = random.Random(2018)
    floor_rows = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            number = f"{index // 1000 + 1}.{index % 1000 + 1}"
            text = f"{chooser.choice(VERBS)} {chooser.choice(OBJECTS)} (variant {index})"
            response = chooser.choice(RESPONSES)
            writer.writerow(
                [
                    text,
                    number,
                    chooser.choice(STATES),
                    "China",
                    "31",
                    "3",
                    response,
                    "",
                    chooser.choice(ISSUES),
                ]
            )
            floor_rows.append((number, text, response))
    return floor_rows


def floor(folder: Path, rows: list[tuple[str, str, str]]) -> float:
    connection = sqlite3.connect(folder / "floor.sqlite3")
    connection.execute(
        "CREATE TABLE recommendations (id INTEGER PRIMARY KEY, review_id INTEGER, number VARCHAR(20), "
        "text TEXT, response VARCHAR(32), UNIQUE (review_id, number))"
    )
    with Stopwatch() as watch, connection:
        connection.executemany(
            "INSERT INTO recommendations (review_id, number, text, response) VALUES (1, ?, ?, ?)", rows
        )
    connection.close()
    return watch.seconds


def run(scale: float) -> Measurement:
    from crm.db import db
    from crm.recommendations.importing import import_recommendations

    rows = max(100, int(ROWS * scale))
    with tempfile.TemporaryDirectory(prefix="upr-bench-import-") as name:
        folder = Path(name)
        sample = folder / "upr-info.csv"
        floor_seconds = floor(folder, write_sample(sample, rows))
        with bench_database(), Stopwatch() as watch:
            report = import_recommendations(sample, "CHN-3")
            db.session.commit()
    # The whole process's high-water mark (Linux reports KiB): file, parser, session and SQLite together.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if report.added != rows:
        raise RuntimeError(f"the benchmark imported {report.added} of {rows} rows: {report.problems[:3]}")
    return Measurement(
        watch.seconds,
        floor_seconds,
        f"{rows} rows, {rows / watch.seconds:,.0f} rows/s, peak process memory {peak / 2**20:.0f} MB",
    )


WORKLOADS = [
    Workload(
        "import-recommendations",
        3.0,
        "import a UPR Info CSV (checked, classified, states resolved) vs a bare sqlite3 executemany",
        run,
    )
]
