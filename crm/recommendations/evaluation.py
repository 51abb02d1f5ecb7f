"""How often the classifier agrees with the action category a file gives (UPR Info's own ``Action``).

The file is read with the importer's readers, layouts and parser; each recommendation's category is set
aside and the classifier reads only its wording. Nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from crm.recommendations.classify import CATEGORY_NAMES, classify
from crm.recommendations.errors import ImportFileError
from crm.recommendations.importing import read_layout
from crm.recommendations.parsing import LeftOut, RowParser, RowProblem
from crm.recommendations.readers import open_table
from crm.states import StateResolver


@dataclass
class Agreement:
    rows: int = 0
    agreed: int = 0
    by_category: Counter[int] = field(default_factory=Counter)
    agreed_by_category: Counter[int] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.agreed / self.rows if self.rows else 0.0

    def lines(self) -> list[str]:
        shown = {"share": f"{self.share:.1%}", "agreed": f"{self.agreed:,}", "rows": f"{self.rows:,}"}
        lines = [
            _("Agreement with the file's action category: %(share)s (%(agreed)s of %(rows)s rows).", **shown)
        ]
        for category in sorted(self.by_category):
            total = self.by_category[category]
            agreed = self.agreed_by_category[category]
            lines.append(
                f"  {category} {CATEGORY_NAMES[category]}: {agreed / total:.1%} ({agreed:,} of {total:,})"
            )
        return lines


def evaluate(path: Path) -> Agreement:
    """Classify every row of ``path`` that has a category, and count where the classifier agrees."""
    source = open_table(path)
    layout = read_layout(source, path.name, "auto", None)
    if "action_category" not in layout.positions:
        raise ImportFileError(_("%(file)s has no action category column to compare with", file=path.name))
    parser = RowParser(layout, StateResolver.from_database())
    found = Agreement()
    for number, cells in source.rows():
        if number <= layout.header_row or not "".join(cells).strip() or layout.is_heading(cells):
            continue
        try:
            row = parser.parse(number, layout.record(cells))
        except (RowProblem, LeftOut):
            continue
        if row.action_category is None:
            continue
        found.rows += 1
        found.by_category[row.action_category] += 1
        if classify(row.text).action_category == row.action_category:
            found.agreed += 1
            found.agreed_by_category[row.action_category] += 1
    return found
