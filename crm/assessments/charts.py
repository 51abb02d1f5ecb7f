"""Stacked bar charts drawn on the server as inline SVG: no JavaScript, no CDN, readable when printed.

Each segment carries ``data-series`` and ``data-count`` and a tooltip, so the numbers can be checked
against the database and read by screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 460
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LEGEND_LINE = 18
COUNT_SPACE = 34


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    ink: str = "#ffffff"


def stacked_bars(
    title: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[Series],
    label_width: int = 172,
) -> Markup:
    """One horizontal bar per row, split into ``series`` segments scaled to the largest row total."""
    most = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    scale = (WIDTH - label_width - COUNT_SPACE) / most
    legend, top = _legend(series)
    height = top + ROW_HEIGHT * max(len(rows), 1) + 4
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}" font-family="inherit">',
        f"<title>{escape(title)}</title>",
        *legend,
    ]
    for index, (label, counts) in enumerate(rows):
        y = top + index * ROW_HEIGHT
        # Headings printed in capitals (the 2018 annex's themes) are easier to read, and fit, in title case.
        shown = label.title() if label.isupper() else label
        fits = int((label_width - 10) / 7.0)
        short = shown if len(shown) <= fits else shown[: fits - 1] + "…"
        parts.append(
            f'<g class="bar" data-label="{escape(label)}"><text x="{label_width - 6}" y="{y + 13}" '
            f'font-size="12" text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>'
        )
        left = float(label_width)
        for item in series:
            count = counts.get(item.key, 0)
            if not count:
                continue
            width = count * scale
            parts.append(
                f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{item.colour}" data-series="{escape(item.key)}" data-count="{count}">'
                f"<title>{escape(label)} · {escape(item.label)}: {count}</title></rect>"
            )
            if width >= 16:
                parts.append(
                    f'<text x="{left + width / 2:.1f}" y="{y + 13}" font-size="11" text-anchor="middle" '
                    f'fill="{item.ink}" pointer-events="none">{count}</text>'
                )
            left += width
        total = sum(counts.values())
        parts.append(
            f'<text x="{left + 5:.1f}" y="{y + 13}" font-size="12" fill="#5b6775">{total}</text></g>'
        )
    if not rows:
        parts.append(f'<text x="0" y="{top + 12}" font-size="12" fill="#5b6775">No data yet.</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  # every interpolated label went through escape()


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """Legend entries wrapped to the chart's width; returns them and the height they take."""
    parts, x, line = [], 0, 0
    for item in series:
        width = int(26 + 6.5 * len(item.label))
        if x and x + width > WIDTH:
            x, line = 0, line + 1
        y = 4 + line * LEGEND_LINE
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" rx="2" fill="{item.colour}"/>'
            f'<text x="{x + 16}" y="{y + 10}" font-size="11.5">{escape(item.label)}</text>'
        )
        x += width
    return parts, (line + 1) * LEGEND_LINE + 10
