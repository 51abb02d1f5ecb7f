"""Dashboard panels: each package contributes boxes to the first screen without knowing the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    """A box on the dashboard: ``template`` is rendered with ``context``; lower ``order`` comes first."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    wide: bool = False
