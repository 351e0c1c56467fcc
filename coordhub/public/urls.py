"""The public addresses: one path per page and language, absolute under ``public_base_url``.

Absolute addresses (feeds, the sitemap, ``hreflang`` alternates, JSON-LD) are built from the
configured base, never from the request's ``Host``: pages are cached and shared by everyone,
so nothing a client sends may end up in them.
"""

from __future__ import annotations

from coordhub.connectors.items import rebuttal_url
from coordhub.public.languages import Language


def home(language: Language) -> str:
    return f"/{language}/"


def rebuttal(language: Language, rebuttal_id: int) -> str:
    return f"/{language}/rebuttals/{rebuttal_id}"


def correction_requests(language: Language, rebuttal_id: int) -> str:
    """Where a rebuttal's correction request form is sent (and shown alone)."""
    return f"/{language}/rebuttals/{rebuttal_id}/corrections"


def correction_sent(language: Language, rebuttal_id: int, number: int) -> str:
    return f"/{language}/rebuttals/{rebuttal_id}/corrections/sent?number={number}"


def institutions(language: Language) -> str:
    return f"/{language}/institutions"


def institution(language: Language, slug: str) -> str:
    return f"/{language}/institutions/{slug}"


def dismissed(language: Language) -> str:
    return f"/{language}/dismissed"


def transparency(language: Language) -> str:
    return f"/{language}/transparency"


def about(language: Language) -> str:
    return f"/{language}/about"


def feed(language: Language, institution_slug: str | None = None) -> str:
    if institution_slug is None:
        return f"/{language}/feed.atom"
    return f"/{language}/institutions/{institution_slug}/feed.atom"


def canonical_rebuttal(base_url: str, rebuttal_id: int) -> str:
    """The language-neutral address connectors send (ninjs ``uri``); it redirects to a page."""
    return rebuttal_url(base_url, rebuttal_id)


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def swap_language(path: str, language: Language) -> str:
    """The same page in ``language`` (paths start with ``/km/`` or ``/en/``)."""
    return f"/{language}/{path.split('/', 2)[2]}" if path.count("/") >= 2 else home(language)
