"""Who to brief about a recommendation (people at the recommending states, agencies by theme) and mandates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES
from crm.contacts.audit import record_access
from crm.contacts.mandates import mandate_table, set_mandate
from crm.contacts.models import (
    AgencyMandate,
    Organisation,
    OrganisationKind,
)
from crm.contacts.views.blueprint import bp
from crm.contacts.who_to_brief import agencies_for_themes, contacts_for_recommendation
from crm.db import db
from crm.models import Recommendation, Theme
from crm.reviews.services import ReviewNotFound, get_review


@bp.route("/who-to-brief")
def who_to_brief_lookup() -> str | Response:
    """Find a recommendation by review and number, then show who to brief about it."""
    review_code, number = request.args.get("review", "").strip(), request.args.get("number", "").strip()
    if review_code and number:
        try:
            review = get_review(review_code)
        except (ReviewNotFound, ValueError) as error:
            flash(str(error), "error")
        else:
            found = db.session.scalar(
                select(Recommendation).where(
                    Recommendation.review_id == review.id, Recommendation.number == number
                )
            )
            if found is not None:
                return redirect(url_for("contacts.who_to_brief", recommendation_id=found.id))
            flash(
                _("%(review)s has no recommendation numbered %(number)s.", review=review.code, number=number),
                "error",
            )
    return render_template("contacts/who_to_brief_lookup.html", review_code=review_code, number=number)


@bp.route("/recommendations/<int:recommendation_id>/who-to-brief")
def who_to_brief(recommendation_id: int) -> str:
    recommendation = db.session.get(Recommendation, recommendation_id) or abort(404)
    language = request.args.get("language", "en").strip() or "en"
    ranked = contacts_for_recommendation(recommendation, viewer=current_user, language=language)
    for entry in ranked:
        record_access(current_user, "mapping", entry.contact, f"who to brief {recommendation.label}")
    db.session.commit()
    agencies = agencies_for_themes([theme.id for theme in recommendation.themes])
    return render_template(
        "contacts/who_to_brief.html",
        recommendation=recommendation,
        ranked=ranked,
        agencies=agencies,
        language=language,
    )


@bp.route("/agency-mandates", methods=["GET", "POST"])
def mandates() -> str | Response:
    if request.method == "POST":
        if current_user.role not in COORDINATOR_ROLES:
            abort(403)
        return _change_mandates()
    agencies = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.UN_AGENCY, Organisation.archived_at.is_(None))
        .order_by(Organisation.name)
    )
    return render_template(
        "contacts/mandates.html",
        mandates=mandate_table(),
        agencies=list(agencies),
        themes=list(db.session.scalars(select(Theme).order_by(Theme.name))),
        may_edit=current_user.role in COORDINATOR_ROLES,
        kind_label=OrganisationKind.UN_AGENCY.label,
    )


def _change_mandates() -> Response:
    remove = request.form.get("remove", "")
    if remove.isdigit():
        mandate = db.session.get(AgencyMandate, int(remove)) or abort(404)
        db.session.delete(mandate)
        db.session.commit()
        flash(_("Mandate removed."), "success")
        return redirect(url_for("contacts.mandates"))
    agency_id, theme_id = request.form.get("organisation_id", ""), request.form.get("theme_id", "")
    agency = db.session.get(Organisation, int(agency_id)) if agency_id.isdigit() else None
    theme = db.session.get(Theme, int(theme_id)) if theme_id.isdigit() else None
    if agency is None or (theme is None and theme_id != "all"):
        flash(_("Choose an agency and a theme (or every theme)."), "error")
        return redirect(url_for("contacts.mandates"))
    set_mandate(agency, theme)
    db.session.commit()
    if theme is None:
        flash(_("%(agency)s now covers every theme.", agency=agency.name), "success")
    else:
        flash(_("%(agency)s now covers %(theme)s.", agency=agency.name, theme=theme.name), "success")
    return redirect(url_for("contacts.mandates"))
