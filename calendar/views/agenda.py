"""The agenda, the month view, a review's deadlines page and the .ics download of what a page shows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from crm import dates
from crm.auth.models import User
from crm.db import db
from crm.models import Review
from crm.teams.models import Team
from crm.web import base_url
from upr_calendar.actions import deadline_actions
from upr_calendar.agenda import agenda, open_windows
from upr_calendar.deadlines import review_deadlines
from upr_calendar.exports import Scope, build_export, no_dates_message
from upr_calendar.ical import build_calendar
from upr_calendar.items import AgendaItem
from upr_calendar.models import KIND_LABELS, DeadlineKind
from upr_calendar.translate import _
from upr_calendar.treaties import dual_use_events, ratifications
from upr_calendar.views.blueprint import bp
from upr_calendar.visits import parse_day

AGENDA_DAYS = 90


@dataclass(frozen=True)
class Filters:
    review_id: int | None
    team_id: int | None
    user_id: int | None
    kinds: set[str] | None

    @classmethod
    def from_request(cls) -> Filters:
        def number(name: str) -> int | None:
            value = request.args.get(name, "")
            return int(value) if value.isdigit() else None

        kinds = {k for k in request.args.getlist("kind") if k in {kind.value for kind in DeadlineKind}}
        return cls(number("review"), number("team"), number("user"), kinds or None)

    def args(self, **extra: object) -> dict[str, object]:
        """The filters as URL arguments, plus ``extra`` ones (a month, a start day)."""
        return {
            "review": self.review_id,
            "team": self.team_id,
            "user": self.user_id,
            "kind": sorted(self.kinds) if self.kinds else None,
            **extra,
        }

    def items(self, start: date, end: date) -> list[AgendaItem]:
        return agenda(
            start, end, user_id=self.user_id, team_id=self.team_id, review_id=self.review_id, kinds=self.kinds
        )


def _choices() -> dict[str, object]:
    return {
        "reviews": db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle)).all(),
        "teams": db.session.scalars(select(Team).order_by(Team.name)).all(),
        "users": db.session.scalars(select(User).where(User.active).order_by(User.email)).all(),
        "kind_labels": {k.value: str(label) for k, label in KIND_LABELS.items()},
    }


def _start_day() -> date:
    try:
        return parse_day(request.args["from"]) if request.args.get("from") else dates.today()
    except ValueError:
        return dates.today()


@bp.route("/", endpoint="agenda")
def agenda_page() -> str:
    filters = Filters.from_request()
    start = _start_day()
    end = start + timedelta(days=AGENDA_DAYS)
    items = filters.items(start, end)
    windows = open_windows(
        start, review_id=filters.review_id, team_id=filters.team_id, user_id=filters.user_id
    )
    if filters.kinds is not None:
        windows = [w for w in windows if w.deadline.kind.value in filters.kinds]
    return render_template(
        "calendar/agenda.html",
        items=items,
        windows=windows,
        filters=filters,
        start=start,
        end=end,
        **_choices(),
    )


@bp.route("/month")
def month() -> str:
    filters = Filters.from_request()
    today = dates.today()
    year = request.args.get("year", type=int) or today.year
    number = request.args.get("month", type=int) or today.month
    if not (1 <= number <= 12 and 1900 <= year <= 2200):
        year, number = today.year, today.month
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    weeks = dates.month_grid(year, number)
    by_day: dict[date, list[AgendaItem]] = defaultdict(list)
    for item in filters.items(weeks[0][0], weeks[-1][-1]):
        by_day[item.day].append(item)
    previous = first - timedelta(days=1)
    return render_template(
        "calendar/month.html",
        first=first,
        weeks=weeks,
        by_day=by_day,
        filters=filters,
        previous=previous,
        following=following,
        **_choices(),
    )


@bp.route("/download.ics")
def download() -> Response | WerkzeugResponse:
    """What the page shows as a file named after it: a review whole, anything else in its window."""
    filters = Filters.from_request()
    scope = Scope(
        review=db.session.get(Review, filters.review_id) if filters.review_id else None,
        team=db.session.get(Team, filters.team_id) if filters.team_id else None,
        user=db.session.get(User, filters.user_id) if filters.user_id else None,
        kinds=frozenset(filters.kinds) if filters.kinds else None,
    )
    export = build_export(scope, dates.today())
    if scope.review is not None and not export.items:
        flash(
            _("%(problem)s There is nothing to download yet.", problem=no_dates_message(scope.review)),
            "error",
        )
        return redirect(url_for("calendar.review", review_id=scope.review.id))
    body = build_calendar(export.items, scope.title, base_url=base_url(), description=export.description())
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{scope.filename}"',
        },
    )


@bp.route("/reviews/<int:review_id>")
def review(review_id: int) -> str:
    found = db.session.get(Review, review_id)
    if found is None:
        abort(404)
    return render_template(
        "calendar/review.html",
        review=found,
        deadlines=[
            (deadline, deadline_actions(found, deadline.kind)) for deadline in review_deadlines(found)
        ],
        dual_use=dual_use_events(found),
        ratifications=ratifications(found.state_code),
        agenda_url=url_for("calendar.agenda", review=found.id),
    )
