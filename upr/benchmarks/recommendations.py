"""``upr bench import-recommendations``: the importer against a bare ``sqlite3`` ``executemany``."""

from __future__ import annotations

import csv
import random
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from crm.recommendations.compiled import MODULES, unusable
from crm.recommendations.importing import ImportReport
from upr.benchmarks.harness import Measurement, Stopwatch, Workload, bench_database

ROWS = 100_000
REPEATS = 3
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
            text = f"{chooser.choice(VERBS)} {chooser.choice(OBJECTS)} (variant {index})"  # i18n: fixed
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


# The old UPR Info header, as its database served it: Rgrp and Org once for each state.
MULTI_HEADER = [
    "SuR",
    "Rgrp",
    "Org",
    "Recommendation",
    "RS",
    "Rgrp",
    "Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]


def _members() -> list[str]:
    """Every UN member state, by the name in ``data/states.csv``: a whole export reviews them all."""
    from crm.states import STATES_FILE

    with STATES_FILE.open(encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row["status"] == "member"]


RECOMMENDING = (
    "Sweden",
    "Czech Republic",
    "Iran",
    "Cote d'Ivoire",
    "Turkey",
    "Laos",
    "DPR Korea",
    "Macedonia FYR",
    "Bosnia & Herzegovina",
    "Palestine",
    "Norway",
    "Chile",
    "Mexico",
)
UPR_INFO_ISSUES = (
    "Torture and other CID treatment",
    "Women's rights,Rights of the Child",
    "Death penalty",
    "Freedom of opinion and expression",
    "Right to education",
)


def _word(chooser: random.Random) -> str:
    return "".join(chooser.choice("bcdfghklmnprstvz") + chooser.choice("aeiou") for _ in range(4))


def write_multi_state_sample(path: Path, rows: int) -> int:
    """A UPR Info export of ``rows`` rows about every UN member over sessions 1-40.

    Three cycles, about 170 recommendations a review as in UPR Info's database, one row per recommending
    state: a recommendation made by two or three states is two or three rows with the same wording.
    Returns how many recommendations it holds.
    """
    chooser = random.Random(2015)
    under_review_names = _members()
    written = recommendations = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MULTI_HEADER)
        while written < rows:
            index = recommendations % len(under_review_names)
            under_review = under_review_names[index]
            # Each State is reviewed once a cycle: in one of sessions 1-12, 13-26 and 27-40.
            session = (1 + index % 12, 13 + index % 14, 27 + index % 14)[chooser.randrange(3)]
            # Words of their own, as real wordings have: otherwise every pair across cycles would link.
            own = " ".join(_word(chooser) for _ in range(4))
            text = f"{chooser.choice(VERBS)} {chooser.choice(OBJECTS)} as regards {own}"  # i18n: fixed
            response, action = chooser.choice(("Accepted", "Noted")), str(chooser.randrange(1, 6))
            issue = chooser.choice(UPR_INFO_ISSUES)
            for state in chooser.sample(RECOMMENDING, chooser.choice((1, 1, 2, 3)))[: rows - written]:
                writer.writerow(
                    [under_review, "Asia", "", text, state, "WEOG", "", response, action, issue, session]
                )
                written += 1
            recommendations += 1
    return recommendations


def narrow_floor(folder: Path, rows: list[tuple[str, str, str]]) -> float:
    """The file's (number, text, response) into a bare three-column table: the least any import could do."""
    path = folder / "floor.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
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


def same_rows_floor(before: Path, after: Path) -> float:
    """Every row the import wrote, replayed by bare ``executemany`` into the same schema in one transaction.

    ``before`` is the database as the import found it (schema and states), ``after`` as it left it. The
    tables that were empty before are copied row for row, in foreign-key order, with the app's pragmas:
    the same rows into the same tables and indexes, with no Python work between them.
    """
    from upr.schema import metadata

    # Table and column names below come from the app's own metadata, never from input.
    written = sqlite3.connect(after)
    target = sqlite3.connect(before)
    batches = []
    for table in metadata.sorted_tables:
        if target.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]:  # noqa: S608  # names from our own metadata
            continue
        names = ", ".join(f'"{column.name}"' for column in table.columns)
        rows = written.execute(f'SELECT {names} FROM "{table.name}"').fetchall()  # noqa: S608  # names from our own metadata
        if rows:
            marks = ", ".join("?" for _ in table.columns)
            statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608  # names from our own metadata
            batches.append((statement, rows))
    written.close()
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL"):
        target.execute(f"PRAGMA {pragma}")
    with Stopwatch() as watch, target:
        for statement, rows in batches:
            target.executemany(statement, rows)
    target.close()
    return watch.seconds


def import_once(folder: Path, sample: Path, review_code: str | None) -> tuple[float, float, ImportReport]:
    """One import into a fresh database, and the same-rows floor replayed from what it wrote."""
    from crm.db import db
    from crm.recommendations.importing import import_recommendations

    before = folder / "before.sqlite3"
    before.unlink(missing_ok=True)
    with bench_database() as database:
        live, copy = sqlite3.connect(database), sqlite3.connect(before)
        live.backup(copy)
        live.close()
        copy.close()
        with Stopwatch() as watch:
            report = import_recommendations(sample, review_code)
            db.session.commit()
        return watch.seconds, same_rows_floor(before, database), report


# Run by a fresh interpreter, so the high-water mark is the import's, not what other workloads left behind.
# Linux's ru_maxrss survives fork and exec (a child of a 300 MB parent starts at 300 MB), so the mark is
# read from /proc/self/status's VmHWM, which belongs to the new process's own memory; ru_maxrss elsewhere.
_PEAK_OF_ONE_IMPORT = """
import re, resource, sys
from pathlib import Path
from crm.db import db
from crm.recommendations.importing import import_recommendations
from upr.benchmarks.harness import bench_database
with bench_database():
    import_recommendations(Path(sys.argv[1]), sys.argv[2] or None)
    db.session.commit()
try:
    with open("/proc/self/status") as status:
        print(int(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1)) * 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def peak_memory_of_import(sample: Path, review_code: str | None) -> int:
    """The peak memory, in bytes, of a process that starts, imports ``sample`` and commits (Linux: KiB)."""
    done = subprocess.run(  # noqa: S603 - this interpreter running the code above, no shell
        [sys.executable, "-c", _PEAK_OF_ONE_IMPORT, str(sample), review_code or ""],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def _timed(folder: Path, sample: Path, review_code: str | None) -> tuple[float, float, ImportReport]:
    """The fastest of ``REPEATS`` imports and of their floors, as timeit advises: the slower runs measure
    what else the machine was doing."""
    seconds, floor_seconds, report = import_once(folder, sample, review_code)
    for _ in range(REPEATS - 1):
        again, again_floor, _report = import_once(folder, sample, review_code)
        seconds, floor_seconds = min(seconds, again), min(floor_seconds, again_floor)
    return seconds, floor_seconds, report


def run(scale: float) -> Measurement:
    """One review's export, then a whole multi-State one; the ratio reported is the worse of the two."""
    rows = max(100, int(ROWS * scale))
    with tempfile.TemporaryDirectory(prefix="upr-bench-import-") as name:
        folder = Path(name)
        sample = folder / "upr-info.csv"
        floor_rows = write_sample(sample, rows)
        narrow_seconds = min(narrow_floor(folder, floor_rows) for _ in range(REPEATS))
        del floor_rows
        peak = peak_memory_of_import(sample, "CHN-3")
        seconds, floor_seconds, report = _timed(folder, sample, "CHN-3")
        if report.added != rows:
            raise RuntimeError(f"the benchmark imported {report.added} of {rows} rows: {report.problems[:3]}")
        multi = folder / "upr-info-multi-state.csv"
        recommendations = write_multi_state_sample(multi, rows)
        multi_peak = peak_memory_of_import(multi, None)
        multi_seconds, multi_floor, multi_report = _timed(folder, multi, None)
    if multi_report.added != recommendations or multi_report.problem_count:
        raise RuntimeError(
            f"the multi-State benchmark stored {multi_report.added} of {recommendations} recommendations: "
            f"{multi_report.problems[:3]}"
        )
    single_ratio, multi_ratio = seconds / floor_seconds, multi_seconds / multi_floor
    not_compiled = unusable()
    compiled = f"compiled modules: {'none, ' + not_compiled if not_compiled else ', '.join(MODULES)}"
    worse = (seconds, floor_seconds) if single_ratio >= multi_ratio else (multi_seconds, multi_floor)
    return Measurement(
        *worse,
        f"one review: {rows} rows, {rows / seconds:,.0f} rows/s, {single_ratio:.2f}x its floor, peak memory "
        f"of an import process {peak / 2**20:.0f} MB, {seconds / narrow_seconds:.1f}x a bare executemany of "
        f"(number, text, response) into a three-column table; multi-State UPR Info export: {rows} rows, "
        f"{recommendations} recommendations in {len(multi_report.reviews)} reviews created from the file, "
        f"{multi_seconds:.2f} s, {multi_ratio:.2f}x its floor, peak memory {multi_peak / 2**20:.0f} MB; "
        f"fastest of {REPEATS} runs each; {compiled}",
    )


WORKLOADS = [
    Workload(
        "import-recommendations",
        3.0,
        "import a UPR Info CSV into one review, and a multi-State UPR Info export into every review it "
        "names (checked, classified, states resolved, repeated rows merged) vs a bare sqlite3 "
        "executemany of the rows each writes",
        run,
    )
]
