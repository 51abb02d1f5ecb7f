"""The contacts demo loader: invented people, assignments, a meeting with its follow-up, agency mandates."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from crm.contacts.demo import DEMO_EMAIL, load_demo
from crm.contacts.models import AgencyMandate, Contact, Interaction, Task, TaskKind
from crm.db import db
from crm.teams.models import Assignment


def test_demo_loads_twice_without_changing_anything(app: Flask) -> None:
    with app.app_context():
        load_demo()
        db.session.commit()
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Contact, Assignment, Interaction, Task, AgencyMandate)
        ]
        load_demo()
        db.session.commit()
        again = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Contact, Assignment, Interaction, Task, AgencyMandate)
        ]
        assert counts == again
        assert counts[1:4] == [2, 1, 1]
        assert counts[4] == 7  # UN Women, UNICEF, ILO, UNESCO, WHO, UNHCR and OHCHR for every theme
        task = db.session.scalars(select(Task)).one()
        assert task.kind is TaskKind.FOLLOW_UP and task.assignee.email == DEMO_EMAIL  # type: ignore[union-attr]
        emails = db.session.scalars(select(Contact.email).where(Contact.email.is_not(None)))
        # Invented addresses only: the example domains reserved by RFC 2606.
        assert all(
            email.rsplit("@", 1)[1] in {"example.org", "example.net", "example.com"} for email in emails
        )
