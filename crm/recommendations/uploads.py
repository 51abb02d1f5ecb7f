"""Importing through the web: an upload kept under the instance folder between preview and confirmation.

The preview runs the importer in dry-run mode, so the person sees every problem and nothing is written;
the confirmation imports the same stored file, directly when it is small and as a background job with a
progress bar when it is large. Each user's uploads live in a folder of their own, named by a random token,
and are deleted once imported (or after a day when the import was abandoned).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from crm.jobs.runner import Progress as JobProgress
from crm.recommendations.errors import nothing_imported
from crm.recommendations.importing import ImportFileError, ImportReport, Progress, import_recommendations
from crm.recommendations.layouts import HeaderError, parse_mapping

PREVIEW_ROWS = 10
BACKGROUND_ROWS = 2_000
KEEP_ABANDONED_SECONDS = 24 * 3600
SUFFIXES = (".csv", ".xlsx", ".xls", ".docx")
_COPY_CHUNK = 1 << 16


class UploadError(ValueError):
    """The upload or its settings cannot be used; the message is one sentence for the person."""


@dataclass(frozen=True)
class ImportRequest:
    """What the person asked for: which stored file, into which review, read how."""

    path: Path
    file_name: str
    review: str
    file_format: str
    mapping_text: str

    def run(
        self, *, dry_run: bool, skip_invalid: bool = False, progress: Progress | None = None
    ) -> ImportReport:
        """Run the importer on the stored file; file-level problems become ``UploadError``."""
        if not self.path.is_file():
            raise UploadError(_("The uploaded file is no longer here; please upload it again."))
        try:
            mapping = parse_mapping(line for line in self.mapping_text.splitlines() if line.strip())
            return import_recommendations(
                self.path,
                self.review.strip().upper() or None,
                file_format=self.file_format,
                mapping=mapping or None,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=progress,
                preview_rows=PREVIEW_ROWS if dry_run else 0,
                display_name=self.file_name,
            )
        except (ImportFileError, HeaderError) as error:
            raise UploadError(nothing_imported(error)) from None

    def write(self, *, skip_invalid: bool, progress: Progress | None = None) -> ImportReport:
        """Stage the import (the caller commits); a file with problems and no ``skip_invalid`` is refused."""
        report = self.run(dry_run=False, skip_invalid=skip_invalid, progress=progress)
        if not report.written:
            raise UploadError(
                ngettext(
                    "%(num)d problem found, so nothing was imported; fix it or skip the invalid row.",
                    "%(num)d problems found, so nothing was imported; fix them or skip the invalid rows.",
                    report.problem_count,
                )
            )
        return report


def user_folder(instance_path: str, user_id: int) -> Path:
    return Path(instance_path) / "imports" / str(user_id)


def store_upload(storage: FileStorage, folder: Path, max_bytes: int) -> str:
    """Copy the upload to ``folder`` in chunks, refusing it past ``max_bytes``; returns its stored name."""
    folder.mkdir(parents=True, exist_ok=True)
    _forget_abandoned(folder)
    suffix = Path(storage.filename or "").suffix.lower()
    # Anything else is read as text, exactly as the command line does with such a file.
    stored = f"{secrets.token_hex(16)}{suffix if suffix in SUFFIXES else '.csv'}"
    target = folder / stored
    size = 0
    with target.open("wb") as handle:
        while chunk := storage.stream.read(_COPY_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                handle.close()
                target.unlink()
                raise UploadError(
                    _(
                        "The file is larger than %(size)s MB; split it and import the parts.",
                        size=max_bytes // (1 << 20),
                    )
                )
            handle.write(chunk)
    return stored


def _forget_abandoned(folder: Path) -> None:
    cutoff = time.time() - KEEP_ABANDONED_SECONDS
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def two_pass_progress(progress: JobProgress, rows: int) -> Progress:
    """The importer reads the file twice (check, then write): one bar from 0 to 100 % over both passes."""
    total = max(rows, 1) * 2

    def report(done: int, pass_total: int | None) -> None:
        if pass_total is None:
            progress(min(done, total // 2), total)
        else:
            progress(min(total // 2 + done, total), total)

    return report
