"""The teams blueprint: the board (who briefs whom), setting teams and members up, coalition exchange.

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports all.
"""

from crm.teams.views import board, coalition, manage
from crm.teams.views.blueprint import bp

__all__ = ["board", "bp", "coalition", "manage"]
