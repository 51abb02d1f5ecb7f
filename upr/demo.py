"""``upr demo``: each package loads its part of the demo, then everything is committed at once."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from crm.db import db
from crm.demo import DEMO_EMAIL, DEMO_PASSWORD, load_crm_demo

# Later packages add their part here (the calendar's deadlines and treaty bodies, outreach's campaign).
DEMO_LOADERS = ("upr_calendar.demo", "outreach.demo")


@dataclass
class DemoReport:
    email: str
    password: str
    lines: list[str] = field(default_factory=list)


def load_demo() -> DemoReport:
    report = DemoReport(DEMO_EMAIL, DEMO_PASSWORD)
    try:
        report.lines += load_crm_demo()
        db.session.flush()
        for module_name in DEMO_LOADERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            report.lines += module.load_demo()
            db.session.flush()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report
