"""Pausing Python's cycle collector around bulk work that builds many objects and keeps them.

An import of 100,000 recommendations creates about a million short-lived containers while it keeps
every parsed row: each of the collector's full passes walks all the kept rows again, which cost about a
tenth of the import (measured with ``upr bench import-recommendations``). Reference counting still frees
everything that is not in a cycle, and the collector catches up once it is enabled again. The pause is
counted, so overlapping imports on several threads enable it again only when the last one ends, and
only if it was enabled when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.holders = 0
        self.was_enabled = False


_pause = _Pause()


@contextmanager
def collector_paused() -> Iterator[None]:
    with _pause.lock:
        if _pause.holders == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.holders += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.holders -= 1
            if _pause.holders == 0 and _pause.was_enabled:
                gc.enable()
