"""Running workloads against their floors and printing the ratios (``upr bench``).

Ratios, not seconds, are what the issues set targets for: both sides run on this machine now.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask_babel import gettext as _


@dataclass(frozen=True)
class Measurement:
    seconds: float
    floor_seconds: float
    detail: str = ""


@dataclass(frozen=True)
class Workload:
    name: str
    target: float
    description: str
    run: Callable[[float], Measurement]


class Stopwatch:
    """``with Stopwatch() as watch: ...`` then ``watch.seconds``."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self._start


@contextmanager
def bench_database() -> Iterator[Path]:
    """A throw-away SQLite database with the app's schema and the states, bound to ``db`` meanwhile."""
    from crm.db import db
    from crm.states import sync_states
    from upr.schema import metadata

    previous = db._engine
    with tempfile.TemporaryDirectory(prefix="upr-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        db._engine = None
        engine = db.configure(f"sqlite:///{path}")
        metadata.create_all(engine)
        sync_states()
        db.session.commit()
        try:
            yield path
        finally:
            db.dispose()
            db._engine = previous
            if previous is not None:
                db.session.configure(bind=previous)


def run_benchmarks(
    available: list[Workload], names: list[str], *, as_json: bool, scale: float = 1.0
) -> list[dict[str, Any]]:
    workloads = {workload.name: workload for workload in available}
    unknown = [name for name in names if name not in workloads]
    if unknown:
        raise click.ClickException(
            _(
                "Unknown workload(s): %(unknown)s. Available: %(available)s.",
                unknown=", ".join(unknown),
                available=", ".join(sorted(workloads)) or "-",
            )
        )
    results: list[dict[str, Any]] = []
    for name in names or sorted(workloads):
        workload = workloads[name]
        if not as_json:
            click.echo(_("running %(name)s …", name=name), err=True)
        measured = workload.run(scale)
        ratio = measured.seconds / measured.floor_seconds if measured.floor_seconds else float("inf")
        results.append(
            {
                "workload": name,
                "seconds": round(measured.seconds, 4),
                "floor_seconds": round(measured.floor_seconds, 4),
                "ratio": round(ratio, 3),
                "target": workload.target,
                "detail": measured.detail,
            }
        )
    if as_json:
        click.echo(json.dumps(results, indent=2))
    else:
        header = f"{'workload':<24} {'seconds':>9} {'floor':>9} {'ratio':>7} {'target':>7}  ok"  # i18n: fixed
        click.echo(header)
        for row in results:
            ok = (
                "yes" if row["ratio"] <= row["target"] else "NO"
            )  # i18n: fixed (the table's columns are read by checks)
            click.echo(
                f"{row['workload']:<24} {row['seconds']:>9} {row['floor_seconds']:>9} "
                f"{row['ratio']:>7} {row['target']:>7}  {ok}"
            )
    return results
