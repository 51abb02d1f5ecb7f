"""Errors that reach the logs never carry the values of the statement that failed (people's names)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from crm.contacts.models import Contact
from crm.db import db


def test_database_errors_hide_their_parameters(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    secret_name = "Defender Whose Name Must Not Leak"
    with app.app_context(), caplog.at_level(logging.DEBUG):
        with pytest.raises(IntegrityError) as failure:
            # No organisation 999999: the foreign key refuses the row.
            db.session.execute(insert(Contact).values(organisation_id=999999, full_name=secret_name))
            db.session.flush()
        db.session.rollback()
    assert secret_name not in str(failure.value)
    assert secret_name not in caplog.text
