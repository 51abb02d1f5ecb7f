"""Every workload ``upr bench`` knows, from each area's benchmark module."""

from __future__ import annotations

from upr.benchmarks import contacts, ical, outreach, recommendations
from upr.benchmarks.harness import Workload

ALL: list[Workload] = [
    *recommendations.WORKLOADS,
    *contacts.WORKLOADS,
    *ical.WORKLOADS,
    *outreach.WORKLOADS,
]
