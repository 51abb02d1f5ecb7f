"""Progress of long work on the command line: a line redrawn in place, and rows counted as they go."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import click

Row = TypeVar("Row")
REDRAW_SECONDS = 0.2


def terminal_progress(label: str) -> Callable[[int, int | None], None]:
    """A progress line for the CLI, redrawn in place on stderr and ended when ``done`` reaches ``total``.

    ``total`` None means the size is not known yet (a file being checked as it is read): the line then
    counts up. Redrawn at most five times a second, so a fast loop is not slowed by the terminal.
    """
    last_drawn = 0.0
    last_text = ""

    def progress(done: int, total: int | None) -> None:
        nonlocal last_drawn, last_text
        finished = total is not None and done >= total
        now = time.monotonic()
        text = f"{label}: {done:,}" + (f"/{total:,}" if total is not None else " so far")
        if text == last_text or (not finished and now - last_drawn < REDRAW_SECONDS):
            return
        last_drawn, last_text = now, text
        # Padded, so a shorter line fully covers the one it redraws.
        click.echo(f"\r{text:<48}", nl=finished, err=True)
        sys.stderr.flush()

    return progress


def with_progress(
    rows: Sequence[Row], progress: Callable[[int, int], None], every: int = 500
) -> Iterator[Row]:
    """``rows`` one by one, reporting ``progress(done, total)`` every ``every`` rows and at the end."""
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        if done % every == 0 or done == total:
            progress(done, total)
    if not total:
        progress(0, 0)
