"""Subscription feeds: managing tokens (signed in) and serving a feed by its token (public, no cookie)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm import dates
from crm.auth.access import public
from crm.db import db
from crm.models import Review
from crm.teams.models import Team
from crm.web import absolute_url, base_url
from upr_calendar import feeds
from upr_calendar.forms import FeedForm
from upr_calendar.items import CalendarError
from upr_calendar.models import FeedScope, FeedToken
from upr_calendar.translate import _
from upr_calendar.views.blueprint import bp


@bp.route("/feeds", methods=["GET", "POST"])
def feed_list() -> str:
    form = FeedForm()
    # Only the teams whose calendar the user may subscribe to (a team's feed is its members' business).
    form.team_id.choices = [(0, "—")] + [
        (t.id, t.name)
        for t in db.session.scalars(select(Team).order_by(Team.name))
        if feeds.may_manage_team_feeds(current_user, t.id)
    ]
    form.review_id.choices = [(0, "—")] + [
        (r.id, r.code) for r in db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle))
    ]
    new_url = error = None
    if not form.is_submitted():
        # Arrived from a review's page: that review's calendar comes chosen.
        review_id = request.args.get("review", "")
        if review_id.isdigit():
            form.scope.data, form.review_id.data = FeedScope.REVIEW.value, int(review_id)
    if form.validate_on_submit():
        team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
        review = db.session.get(Review, form.review_id.data) if form.review_id.data else None
        try:
            _row, token = feeds.create_token(
                current_user, FeedScope(form.scope.data), team=team, review=review
            )
        except CalendarError as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            new_url = absolute_url("calendar.feed", token=token)
    today = dates.today()
    tokens = [
        (token, feeds.feed_label(token), feeds.feed_export(token, today))
        for token in feeds.list_tokens(current_user)
    ]
    return render_template("calendar/feeds.html", form=form, tokens=tokens, new_url=new_url, error=error)


@bp.route("/feeds/<int:feed_id>/revoke", methods=["POST"])
def revoke_feed(feed_id: int) -> Response:
    row = db.session.get(FeedToken, feed_id)
    # Someone else's feed is answered like a missing one: its existence is not the asker's to learn.
    if row is None or row.revoked_at is not None or not feeds.may_revoke(row, current_user):
        abort(404)
    feeds.revoke_token(row, current_user)
    db.session.commit()
    flash(_("The feed is revoked: calendars subscribed to it stop updating."), "success")
    return redirect(url_for("calendar.feed_list"))


@bp.route("/feed/<token>.ics")
@public
def feed(token: str) -> Response:
    row = feeds.find_token(token)
    if row is None:
        # Calendar clients read no HTML, and one fixed body cannot tell a revoked token from a guessed one.
        return Response("Not found\n", status=404, mimetype="text/plain")  # i18n: fixed
    today = dates.today()
    version = feeds.version_stamp(row, today)
    etag = feeds.etag_for(version)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        built = feeds.cached_feed(row, version) or feeds.build_feed(row, version, today, base_url())
        response = Response(built.body)
        response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    # Clients revalidate with the tag (304); nothing stores the feed on the way (no-store, upr.security).
    response.set_etag(etag)
    return response
