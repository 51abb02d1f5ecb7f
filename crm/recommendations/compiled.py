"""The import's busiest modules compiled to C by mypyc, used where a build of today's sources exists.

Checking, classifying and linking a whole UPR Info export runs a few dozen Python statements for each of
its 100,000 rows. With the modules in ``MODULES`` compiled by mypyc (mypy's own compiler, with which mypy
and black ship) the whole import takes about a fifth less time (measured by ``upr bench
import-recommendations``, whose detail says whether a build was used). ``scripts/setup.sh`` builds them
into ``build/mypyc/`` when a C compiler is present (``main(["build"])`` here).

A build is used only while every module's source is the one it was built from, by this Python: an
edited module runs as the Python it says until the next build, and without a build everything runs as
Python, to the same effect (a test imports the same files both ways and compares what was stored).
``UPR_PURE_PYTHON=1`` leaves the build unused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import MutableSequence
from pathlib import Path

MODULES = (
    "words",
    "signatures",
    "actions",
    "classify",
    "rows",
    "identity",
    "parsing",
    "similarity",
    "links",
    "writing",
)
PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parents[1]
BUILD = ROOT / "build" / "mypyc"
COMPILED = BUILD / "crm" / "recommendations"
MANIFEST = BUILD / "manifest.json"
PURE_PYTHON = "UPR_PURE_PYTHON"

# Run in a copy of crm/, so that a failed build leaves nothing beside the sources to shadow them.
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
setup(
    name="upr-compiled",
    ext_modules=mypycify(
        [f"crm/recommendations/{name}.py" for name in sys.argv[1:]], separate=True
    ),
    script_args=["build_ext", "--inplace"],
)
"""


def fingerprint() -> dict[str, object]:
    """What a build is of: this Python, and each module's source by its SHA-256."""
    return {
        "python": sys.version,
        "extension_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "sources": {
            name: hashlib.sha256((PACKAGE / f"{name}.py").read_bytes()).hexdigest() for name in MODULES
        },
    }


def unusable() -> str | None:
    """Why the build is not used (None: it is)."""
    if os.environ.get(PURE_PYTHON):
        return f"{PURE_PYTHON} is set"  # i18n: fixed - a build tool's state, for developers and benchmarks
    try:
        built = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "not built (scripts/setup.sh builds it where a C compiler is present)"  # i18n: fixed
    if built != fingerprint():
        return "built from other sources or by another Python (setup.sh builds it again)"  # i18n: fixed
    return None


def use_build(package_path: MutableSequence[str]) -> bool:
    """Put the build before the sources on the package's path when it is usable."""
    if unusable() is not None:
        return False
    package_path.insert(0, str(COMPILED))
    return True


def modules_in_use() -> list[str]:
    """Those of ``MODULES`` that were imported from the build."""
    import importlib

    return [
        name
        for name in MODULES
        if Path(importlib.import_module(f"crm.recommendations.{name}").__file__ or "").parent == COMPILED
    ]


def build() -> None:
    """Compile ``MODULES`` into ``BUILD``; raises ``CalledProcessError`` (with mypyc's output) on failure."""
    wanted = fingerprint()
    with tempfile.TemporaryDirectory(prefix="upr-mypyc-") as name:
        work = Path(name)
        shutil.copytree(ROOT / "crm", work / "crm", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        shutil.copy2(ROOT / "pyproject.toml", work)
        subprocess.run(  # noqa: S603 - this interpreter running the fixed script above, no shell
            [sys.executable, "-c", _SETUP, *MODULES], cwd=work, check=True, capture_output=True, text=True
        )
        shutil.rmtree(BUILD, ignore_errors=True)
        COMPILED.mkdir(parents=True)
        suffix = str(sysconfig.get_config_var("EXT_SUFFIX"))
        for built in (work / "crm" / "recommendations").glob(f"*{suffix}"):
            shutil.copy2(built, COMPILED)
    MANIFEST.write_text(json.dumps(wanted, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``build [--if-stale]`` or ``status``, for scripts/setup.sh (the package imports this module first,
    so it is not run with ``python -m``)."""
    parser = argparse.ArgumentParser(prog="crm.recommendations.compiled", description=__doc__)
    parser.add_argument("command", choices=["build", "status"])
    parser.add_argument("--if-stale", action="store_true", help="build only when the build is not usable")
    arguments = parser.parse_args(argv)
    reason = unusable()
    if arguments.command == "status":
        print(reason or f"in use: {', '.join(MODULES)}")  # i18n: fixed - a developer's build tool
        return 0
    if arguments.if_stale and reason is None:
        return 0
    try:
        build()
    except subprocess.CalledProcessError as error:
        print(error.stdout[-4000:], error.stderr[-4000:], sep="\n", file=sys.stderr)
        return 1
    return 0
