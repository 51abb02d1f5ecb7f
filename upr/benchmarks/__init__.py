"""``upr bench``: each workload timed against its floor, the bare library doing the same job in the same run.

The harness (``harness.py``) runs the workloads; one module per area defines them (``recommendations``,
``contacts``, ``ical``, ``outreach``), each exposing ``WORKLOADS``. They live at the edge because a
workload builds a whole app (schema, demo-like data, an SMTP server) around the area it measures.
"""
