"""The bulk import path: rows handed straight to the driver read back as the ORM would store them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from crm.db import db
from crm.models import ImplementationStatus, Recommendation, Response
from crm.recommendations import importing
from crm.recommendations.importing import import_recommendations
from crm.reviews.services import get_or_create_review

SAMPLES = Path(__file__).parent / "samples" / "recommendations"


def _snapshot() -> list[tuple[object, ...]]:
    rows = db.session.scalars(select(Recommendation).order_by(Recommendation.number))
    return [
        (
            rec.number,
            rec.sort_key,
            rec.response,
            rec.action_category,
            rec.is_time_bound,
            tuple(rec.recommending_codes),
            tuple(theme.name for theme in rec.themes),
        )
        for rec in rows
    ]


def test_bulk_rows_read_back_like_orm_rows(app: Flask) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        db.session.expire_all()
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == "28.201"))
        assert rec is not None
        # Timestamps, enums and flags went through their column types once, not the driver's defaults.
        assert rec.created_at.tzinfo is UTC and before <= rec.created_at <= datetime.now(UTC)
        assert rec.updated_at == rec.created_at
        # Compared by the database itself: stored in the column type's format (ISO "T" would sort after).
        in_window = select(func.count(Recommendation.id)).where(
            Recommendation.created_at.between(before, datetime.now(UTC))
        )
        assert db.session.scalar(in_window) == 11
        assert rec.response is Response.NOTED
        assert rec.implementation_status is ImplementationStatus.NOT_ASSESSED
        assert rec.is_specific_action is True and rec.action_category_set_by_person is False
        assert rec.sort_key == 280_201


def test_small_batches_write_the_same_rows(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        report = import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        kept = _snapshot()
        db.session.execute(Recommendation.__table__.delete())
        db.session.commit()
        monkeypatch.setattr(importing, "BATCH", 3)
        again = import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        assert (again.added, again.problem_count) == (report.added, 0) == (11, 0)
        assert _snapshot() == kept


def test_ids_sqlite_did_not_number_in_a_row_are_read_back(
    app: Flask, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a row at the largest id SQLite picks new ids at random; links must still find their rows."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL ids come from a sequence; the read-back path is its only path")
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        expected = _snapshot()
        db.session.execute(Recommendation.__table__.delete())
        db.session.add(
            Recommendation(id=2**63 - 1, review=get_or_create_review("CHN-2"), number="1.1", text="x")
        )
        db.session.commit()
        monkeypatch.setattr(importing, "BATCH", 4)
        report = import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        assert (report.added, report.problem_count) == (11, 0)
        db.session.execute(Recommendation.__table__.delete().where(Recommendation.number == "1.1"))
        assert _snapshot() == expected
