"""Every word the public pages and feeds print, in Khmer and English, and how they print dates.

One table per kind of text: the interface (``UI``), the verdicts and the dismissal reasons with
their definitions (shown on the "about" page and beside each rebuttal), the kinds of institution.
A test checks that every entry has both languages.

The interface words are kept one module per family of pages (``ui_pages``, ``ui_transparency``,
``ui_corrections``) and gathered in ``ui``; the verdicts, dismissal reasons and institution kinds
are in ``terms``; numbers and dates are printed by ``formatting``; templates read them all
through ``strings.Strings``. Import the names from here.
"""

from __future__ import annotations

from coordhub.public.texts.formatting import LOCAL_TIME
from coordhub.public.texts.strings import Strings
from coordhub.public.texts.terms import DISMISSAL_REASONS, INSTITUTION_KINDS, VERDICTS
from coordhub.public.texts.ui import UI

__all__ = ["DISMISSAL_REASONS", "INSTITUTION_KINDS", "LOCAL_TIME", "UI", "VERDICTS", "Strings"]
