"""The interface table ``UI``: every interface word, key to its Khmer and English text, gathered
from one module per family of pages. A key belongs to one family only (a key in two would take
the later family's text)."""

from __future__ import annotations

from coordhub.public.languages import Language
from coordhub.public.texts.ui_corrections import CORRECTIONS
from coordhub.public.texts.ui_pages import PAGES
from coordhub.public.texts.ui_transparency import TRANSPARENCY

UI: dict[str, dict[Language, str]] = {**PAGES, **TRANSPARENCY, **CORRECTIONS}
