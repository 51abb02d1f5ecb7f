"""The recommendations blueprint: browsing, searching and counting (``browse``), importing files (``upload``),
importing translations of them (``translations_upload``), a recommendation's translation for the reader
(``translated``).

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports them
all.
"""

from crm.recommendations.views import browse, translated, translations_upload, upload
from crm.recommendations.views.blueprint import bp

__all__ = ["bp", "browse", "translated", "translations_upload", "upload"]
