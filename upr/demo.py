"""``upr demo``: each package loads its part of the demo, then everything is committed at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.contacts.demo import DEMO_EMAIL, DEMO_PASSWORD
from crm.db import db
from upr.plugins import demo_loaders


@dataclass
class DemoReport:
    email: str
    password: str
    lines: list[str] = field(default_factory=list)


def load_demo() -> DemoReport:
    """Run every package's idempotent demo loader (crm first) in one transaction."""
    report = DemoReport(DEMO_EMAIL, DEMO_PASSWORD)
    try:
        for load in demo_loaders():
            report.lines += load()
            db.session.flush()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report
