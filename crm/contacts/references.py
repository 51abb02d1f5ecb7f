"""Records of the areas built on contacts that name a person (a visit's people), moved along in a merge.

The contacts area cannot import the areas that build on it, so each registers how to count, move and put
back its references with the app; merging a contact asks them all, and its undo puts back what they moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask.sansio.app import App

_EXTENSION = "crm.contacts.contact_references"
Moved = dict[str, list[int]]


@dataclass(frozen=True)
class ContactReferences:
    """One kind of record naming contacts: ``count(duplicate_id, keep_id)`` says how many would move,
    ``move(duplicate_id, keep_id)`` moves them and returns what it did, ``restore(keep_id, duplicate_id,
    moved)`` undoes that."""

    key: str
    noun: str
    count: Callable[[int, int], int]
    move: Callable[[int, int], Moved]
    restore: Callable[[int, int, Moved], None]


def register_contact_references(app: App, references: ContactReferences) -> None:
    registered: list[ContactReferences] = app.extensions.setdefault(_EXTENSION, [])
    registered.append(references)


def contact_references() -> list[ContactReferences]:
    registered: list[ContactReferences] = current_app.extensions.get(_EXTENSION, [])
    return registered
