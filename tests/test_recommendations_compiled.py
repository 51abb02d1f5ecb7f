"""The mypyc build of the import's busiest modules: used only for its own sources, and to the same effect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.recommendations import compiled

REAL = Path(__file__).parent / "data" / "real"

# Imports files into a throw-away database and prints what was stored and reported, as one JSON object.
_IMPORT_AND_DESCRIBE = """
import dataclasses, json, sqlite3, sys
from pathlib import Path
from upr.app import create_app
from upr.benchmarks.harness import bench_database
from upr.benchmarks.recommendations import write_multi_state_sample
from crm.db import db
from crm.recommendations.compiled import modules_in_use
from crm.recommendations.importing import import_recommendations

TABLES = ["reviews", "recommendations", "recommending_states", "recommendation_themes"]
TABLES.append("recommendation_links")
folder = Path(sys.argv[1])
sample = folder / "multi-state.csv"
write_multi_state_sample(sample, 3000)
jobs = [(sample, None), (Path(sys.argv[2]), None), (Path(sys.argv[3]), "CHN-3"), (sample, None)]
described = {"modules": modules_in_use(), "imports": []}
with create_app().app_context(), bench_database() as database:
    for path, review in jobs:
        report = import_recommendations(path, review, skip_invalid=True, create_review=True)
        db.session.commit()
        reviews = {code: dataclasses.astuple(found) for code, found in sorted(report.reviews.items())}
        described["imports"].append(
            [reviews, [str(p) for p in report.problems], [list(m) for m in report.merges], report.written]
        )
    stored = sqlite3.connect(database)
    for table in TABLES:
        columns = [row[1] for row in stored.execute(f"PRAGMA table_info({table})")]
        kept = ", ".join(name for name in columns if name not in ("created_at", "updated_at"))
        described[table] = stored.execute(f"SELECT {kept} FROM {table} ORDER BY 1, 2").fetchall()
print(json.dumps(described, default=str))
"""


def _described(tmp_path: Path, *, pure: bool) -> dict[str, object]:
    environment = {**os.environ, "UPR_ENV": "demo"}
    environment.pop(compiled.PURE_PYTHON, None)
    if pure:
        environment[compiled.PURE_PYTHON] = "1"
    folder = tmp_path / ("pure" if pure else "compiled")
    folder.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _IMPORT_AND_DESCRIBE,
            str(folder),
            str(REAL / "upr-info-export-2015-sessions-1-5.xls"),
            str(REAL / "ohchr-matrix-chn-3.docx"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        cwd=compiled.ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_compiled_modules_store_and_report_what_the_python_does(tmp_path: Path) -> None:
    """A multi-State export (imported twice), UPR Info's real export and a real matrix, both ways."""
    reason = compiled.unusable()
    if reason is not None:
        pytest.skip(f"no usable build to compare with: {reason}")
    as_compiled = _described(tmp_path, pure=False)
    as_python = _described(tmp_path, pure=True)
    assert as_compiled.pop("modules") == list(compiled.MODULES)
    assert as_python.pop("modules") == []
    assert as_compiled == as_python
    imports = as_python["imports"]
    assert isinstance(imports, list) and all(written for *_rest, written in imports)
    assert as_python["recommendation_links"], "the multi-State sample links across cycles"


def test_a_build_is_used_only_for_the_sources_and_python_it_was_built_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "manifest.json"
    monkeypatch.setattr(compiled, "MANIFEST", manifest)
    monkeypatch.delenv(compiled.PURE_PYTHON, raising=False)
    unused = compiled.unusable()
    assert unused is not None and unused.startswith("not built")
    path: list[str] = []
    assert not compiled.use_build(path) and path == []
    built = compiled.fingerprint()
    manifest.write_text(json.dumps(built), encoding="utf-8")
    assert compiled.unusable() is None
    assert compiled.use_build(path) and path == [str(compiled.COMPILED)]
    sources = built["sources"]
    assert isinstance(sources, dict)
    manifest.write_text(json.dumps({**built, "sources": {**sources, "parsing": "0" * 64}}), encoding="utf-8")
    edited = compiled.unusable()
    assert edited is not None and "other sources" in edited
    manifest.write_text(json.dumps({**built, "python": "3.10.0"}), encoding="utf-8")
    assert compiled.unusable() == edited
    manifest.write_text(json.dumps(built), encoding="utf-8")
    monkeypatch.setenv(compiled.PURE_PYTHON, "1")
    assert compiled.unusable() == f"{compiled.PURE_PYTHON} is set"


def test_this_checkout_runs_the_build_when_it_is_usable() -> None:
    """What scripts/setup.sh built is what the tests (and the app) import, unless it is stale."""
    expected = list(compiled.MODULES) if compiled.unusable() is None else []
    assert compiled.modules_in_use() == expected
