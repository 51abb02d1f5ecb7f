"""Stacked bar charts drawn on the server as inline SVG: no JavaScript, no CDN, readable when printed.

Each segment carries ``data-series`` and ``data-count`` and a tooltip, so the numbers can be checked
against the database and read by screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

# The chart is drawn 380 units wide and never shown wider than that (``max-width`` in app.css): on a phone's
# panel (about 340 px) a 15-unit label still reads at 13 px and a 14-unit count at 12.5 px.
WIDTH = 380
LABEL_SIZE = 15
TEXT_SIZE = 14
LINE = 19
BAR_HEIGHT = 18
ROW_GAP = 10
LEGEND_LINE = 20
COUNT_SPACE = 40
# About as many characters as fit on one line at LABEL_SIZE; a longer name wraps onto a second line.
LABEL_CHARACTERS = 44


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    ink: str = "#ffffff"


def stacked_bars(
    title: str, rows: Sequence[tuple[str, Mapping[str, int]]], series: Sequence[Series]
) -> Markup:
    """One horizontal bar per row under its full label, split into ``series`` segments scaled to the
    largest row total."""
    most = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    scale = (WIDTH - COUNT_SPACE) / most
    legend, top = _legend(series)
    parts = [*legend]
    y = top
    for label, counts in rows:
        # Headings printed in capitals (the 2018 annex's themes) are easier to read in title case.
        shown = label.title() if label.isupper() else label
        lines = _wrapped(shown)
        parts.append(f'<g class="bar" data-label="{escape(label)}"><title>{escape(label)}</title>')
        for number, line in enumerate(lines):
            parts.append(
                f'<text x="0" y="{y + LINE * number + LABEL_SIZE - 2}" font-size="{LABEL_SIZE}">'
                f"{escape(line)}</text>"
            )
        bar_top = y + LINE * len(lines) + 2
        left = 0.0
        for item in series:
            count = counts.get(item.key, 0)
            if not count:
                continue
            width = count * scale
            parts.append(
                f'<rect x="{left:.1f}" y="{bar_top}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{item.colour}" data-series="{escape(item.key)}" data-count="{count}">'
                f"<title>{escape(label)} · {escape(item.label)}: {count}</title></rect>"
            )
            if width >= 9 * len(str(count)) + 6:
                parts.append(
                    f'<text x="{left + width / 2:.1f}" y="{bar_top + 14}" font-size="{TEXT_SIZE}" '
                    f'text-anchor="middle" fill="{item.ink}" pointer-events="none">{count}</text>'
                )
            left += width
        total = sum(counts.values())
        parts.append(
            f'<text x="{left + 5:.1f}" y="{bar_top + 14}" font-size="{TEXT_SIZE}" fill="#5b6775">'
            f"{total}</text></g>"
        )
        y = bar_top + BAR_HEIGHT + ROW_GAP
    if not rows:
        empty = escape(_("No data yet."))
        parts.append(f'<text x="0" y="{top + 14}" font-size="{TEXT_SIZE}" fill="#5b6775">{empty}</text>')
        y += LINE * 2
    head = (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {y}" width="{WIDTH}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}" font-family="inherit">'
        f"<title>{escape(title)}</title>"
    )
    svg = head + "".join(parts) + "</svg>"
    return Markup(svg)  # noqa: S704  # every interpolated label went through escape()


def _wrapped(label: str) -> list[str]:
    """The label on one line, or two: the full name stays readable (and whole in the tooltip)."""
    if len(label) <= LABEL_CHARACTERS:
        return [label]
    cut = label.rfind(" ", 0, LABEL_CHARACTERS)
    cut = cut if cut > 0 else LABEL_CHARACTERS
    first, rest = label[:cut].rstrip(), label[cut:].strip()
    if len(rest) > LABEL_CHARACTERS:
        rest = rest[: LABEL_CHARACTERS - 1].rstrip() + "…"
    return [first, rest]


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """Legend entries wrapped to the chart's width; returns them and the height they take."""
    parts, x, line = [], 0, 0
    for item in series:
        width = int(30 + 8 * len(item.label))
        if x and x + width > WIDTH:
            x, line = 0, line + 1
        y = 4 + line * LEGEND_LINE
        parts.append(
            f'<rect x="{x}" y="{y}" width="13" height="13" rx="2" fill="{item.colour}"/>'
            f'<text x="{x + 18}" y="{y + 12}" font-size="{TEXT_SIZE}">{escape(item.label)}</text>'
        )
        x += width
    return parts, (line + 1) * LEGEND_LINE + 10
