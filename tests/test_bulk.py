"""Pausing the cycle collector for bulk work leaves it as it found it, whatever overlaps."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from crm.bulk import collector_paused


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


@pytest.mark.usefixtures("collector_enabled")
def test_overlapping_pauses_enable_the_collector_when_the_last_one_ends() -> None:
    first_inside, second_may_end = threading.Event(), threading.Event()

    def second() -> None:
        with collector_paused():
            first_inside.set()
            second_may_end.wait(5)

    thread = threading.Thread(target=second)
    with collector_paused():
        assert not gc.isenabled()
        thread.start()
        assert first_inside.wait(5)
    assert not gc.isenabled()  # the other thread's import is still running
    second_may_end.set()
    thread.join(5)
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_an_error_inside_still_ends_the_pause() -> None:
    with pytest.raises(ValueError, match="bad row"), collector_paused():
        raise ValueError("bad row")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_collector_disabled_by_someone_else_stays_disabled() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
