"""Browsing recommendations: filters, search, the list as CSV or XLSX, counts, a person's category."""

from __future__ import annotations

import io
from pathlib import Path
from tempfile import TemporaryDirectory

from flask import abort, flash, has_request_context, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as HttpResponse

from crm.auth.access import EDITOR_ROLES, require_role, same_site_path
from crm.auth.models import Role
from crm.db import db
from crm.models import (
    ImplementationStatus,
    Recommendation,
    RecommendingState,
    RegionalGroup,
    Response,
    Review,
    State,
    Theme,
    recommendation_themes,
)
from crm.recommendations.classify import CATEGORY_LABELS
from crm.recommendations.exporting import SEARCH_COLUMNS, search_rows, web_header
from crm.recommendations.forms import CategoryForm
from crm.recommendations.search import parse_query, term_clause
from crm.recommendations.services import set_action_category
from crm.recommendations.views.blueprint import bp
from crm.reviews.services import by_shown_name, list_reviews
from crm.states import StateResolver
from crm.tabular import XLSX_MIMETYPE, write_table
from crm.web import PAGE_SIZE, page_number


def filtered(args: MultiDict[str, str]) -> Select[Recommendation]:
    """Recommendations matching the browse filters; each filter is an indexed EXISTS or column test.

    Several themes or several recommending states match any of them; different filters must all match.
    """
    query = select(Recommendation)
    resolver = StateResolver.from_database()
    if args.get("review", "").isdigit():
        query = query.where(Recommendation.review_id == int(args["review"]))
    states = chosen_states(args, resolver)
    if states:
        query = query.where(
            select(RecommendingState.recommendation_id)
            .where(
                RecommendingState.recommendation_id == Recommendation.id,
                RecommendingState.state_code.in_(states),
            )
            .exists()
        )
    if args.get("group") in {g.value for g in RegionalGroup}:
        query = query.where(
            select(RecommendingState.recommendation_id)
            .join(State, State.code == RecommendingState.state_code)
            .where(
                RecommendingState.recommendation_id == Recommendation.id,
                State.regional_group == RegionalGroup(args["group"]),
            )
            .exists()
        )
    if args.get("response") in {r.value for r in Response}:
        query = query.where(Recommendation.response == Response(args["response"]))
    themes = [int(theme) for theme in args.getlist("theme") if theme.isdigit()]
    if themes:
        query = query.where(
            select(recommendation_themes.c.recommendation_id)
            .where(
                recommendation_themes.c.recommendation_id == Recommendation.id,
                recommendation_themes.c.theme_id.in_(themes),
            )
            .exists()
        )
    if args.get("category", "").isdigit():
        query = query.where(Recommendation.action_category == int(args["category"]))
    if args.get("status") in {s.value for s in ImplementationStatus}:
        query = query.where(Recommendation.implementation_status == ImplementationStatus(args["status"]))
    for term in parse_query(args.get("q", ""), resolver):
        query = query.where(term_clause(term))
    return query


def chosen_states(args: MultiDict[str, str], resolver: StateResolver) -> list[str]:
    """The codes of the ``state`` filter; a link or a person may name a state instead ("?state=Suisse")."""
    return [resolver.find(written) or written.upper() for written in args.getlist("state") if written]


def _ordered(query: Select[Recommendation]) -> Select[Recommendation]:
    return (
        query.join(Review)
        .options(
            selectinload(Recommendation.review),
            selectinload(Recommendation.recommending).selectinload(RecommendingState.state),
            selectinload(Recommendation.themes),
        )
        .order_by(Review.state_code, Review.cycle, Recommendation.sort_key)
    )


@bp.route("/recommendations")
def index() -> str:
    args = request.args
    query = filtered(args)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number()
    items = db.session.scalars(_ordered(query).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "recommendations/index.html",
        items=items,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        args=args,
        chosen_states=set(chosen_states(args, StateResolver.from_database())),
        chosen_themes=set(args.getlist("theme")),
        reviews=list_reviews(),
        states=by_shown_name(db.session.scalars(select(State))),
        groups=list(RegionalGroup),
        themes=db.session.scalars(select(Theme).order_by(Theme.name)).all(),
        responses=list(Response),
        categories=CATEGORY_LABELS,
        statuses=list(ImplementationStatus),
    )


@bp.route("/recommendations/export.<any(csv, xlsx):file_format>")
def export(file_format: str) -> HttpResponse:
    """The list the page shows (every page of it, with its filters) as a CSV or XLSX file."""
    recommendations = db.session.scalars(_ordered(filtered(request.args))).all()
    with TemporaryDirectory() as folder:
        path = Path(folder) / f"recommendations.{file_format}"
        write_table(
            path, web_header(SEARCH_COLUMNS), search_rows(recommendations), sheet=_("Recommendations")
        )
        data = path.read_bytes()
    mimetype = "text/csv" if file_format == "csv" else XLSX_MIMETYPE
    return send_file(
        io.BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"recommendations.{file_format}",
    )


@bp.route("/recommendations/counts")
def counts() -> str:
    """How many recommendations, and how many distinct states, raised each theme or a typed keyword."""
    args = request.args.to_dict()
    base = filtered(MultiDict({key: args[key] for key in ("review",) if key in args})).subquery()
    by_theme = db.session.execute(
        select(
            Theme.id,
            Theme.name,
            func.count(func.distinct(base.c.id)),
            func.count(func.distinct(RecommendingState.state_code)),
        )
        .join(recommendation_themes, recommendation_themes.c.theme_id == Theme.id)
        .join(base, base.c.id == recommendation_themes.c.recommendation_id)
        .join(RecommendingState, RecommendingState.recommendation_id == base.c.id)
        .group_by(Theme.id, Theme.name)
        .order_by(func.count(func.distinct(RecommendingState.state_code)).desc(), Theme.name)
    ).all()
    keyword_rows = []
    for keyword in [k.strip() for k in args.get("keywords", "Hong Kong, Tibet, Xinjiang, women").split(",")][
        :10
    ]:
        if not keyword:
            continue
        matching = filtered(
            MultiDict({**{k: args[k] for k in ("review",) if k in args}, "q": keyword})
        ).subquery()
        recs, states = db.session.execute(
            select(
                func.count(func.distinct(matching.c.id)),
                func.count(func.distinct(RecommendingState.state_code)),
            )
            .select_from(matching)
            .outerjoin(RecommendingState, RecommendingState.recommendation_id == matching.c.id)
        ).one()
        keyword_rows.append((keyword, recs, states))
    return render_template(
        "recommendations/counts.html",
        by_theme=by_theme,
        keyword_rows=keyword_rows,
        args=args,
        reviews=list_reviews(),
    )


@bp.route("/recommendations/<int:rec_id>/category", methods=["POST"])
@require_role(*EDITOR_ROLES)
def set_category(rec_id: int) -> HttpResponse:
    """A person's action category, kept by later imports; "auto" goes back to the computed one."""
    rec = db.session.get(Recommendation, rec_id)
    if rec is None:
        abort(404)
    form = CategoryForm()
    target = same_site_path(form.next.data) or url_for("recommendations.index")
    if not form.validate_on_submit():
        flash(_("Choose an action category from 1 to 5, or the computed one."), "error")
        return redirect(target)
    category = None if form.category.data == "auto" else int(form.category.data)
    set_action_category(rec, category)
    db.session.commit()
    if rec.action_category is None:
        flash(
            _("Action category of %(number)s: none (computed from the wording).", number=rec.label), "success"
        )
    else:
        shown = f"{rec.action_category} {CATEGORY_LABELS[rec.action_category]}"
        if category:
            flash(
                _(
                    "Action category of %(number)s: %(category)s (set by you).",
                    number=rec.label,
                    category=shown,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Action category of %(number)s: %(category)s (computed from the wording).",
                    number=rec.label,
                    category=shown,
                ),
                "success",
            )
    return redirect(f"{target}#rec-{rec.id}")


@bp.app_context_processor
def category_names() -> dict[str, object]:
    # Templates also render outside requests (HTML/PDF exports), where there is no signed-in user.
    user = current_user if has_request_context() else None
    role = user.role if user is not None and user.is_authenticated else None
    editor = role in EDITOR_ROLES
    # How a record was read from its source (a misprint corrected, a heading judged) helps whoever keeps the
    # data, not the officers who brief from it.
    admin = role is Role.ADMIN
    return {"category_names": CATEGORY_LABELS, "can_edit_recommendations": editor, "show_source_notes": admin}
