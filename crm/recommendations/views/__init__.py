"""The recommendations blueprint: browsing, searching and counting (``browse``), importing files (``upload``).

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports both.
"""

from crm.recommendations.views import browse, upload
from crm.recommendations.views.blueprint import bp

__all__ = ["bp", "browse", "upload"]
