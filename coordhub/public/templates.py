"""The Jinja2 environment of the public pages, and the tag that names this set of templates.

Every template autoescapes, whatever its name: a headline, a claim or an address typed by a
desk is text, never markup. Undefined names fail the render instead of printing nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from importlib import metadata
from importlib.resources import files
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from coordhub.connectors.formats._common import paragraphs
from coordhub.public import urls
from coordhub.public.languages import language_of
from coordhub.public.structured import json_script


def environment(static_tag: str) -> Environment:
    """The environment pages and feed entries are rendered with."""
    env = Environment(
        loader=PackageLoader("coordhub.public", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Bodies split into paragraphs as the connectors' formats split them; line breaks inside a
    # paragraph stay, for the stylesheet's ``white-space: pre-line``.
    env.filters.update(paragraphs=paragraphs, href=safe_href, iso=iso, language=language_of)
    env.globals.update(
        urls=urls,
        json_script=json_script,
        static=lambda name: f"/static/{name}?v={static_tag}",
    )
    return env


def build_tag() -> str:
    """A short digest of the templates, the stylesheet and the package version: part of every
    ETag, so that a release that changes how pages look never answers 304 to an old copy."""
    digest = hashlib.sha256()
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("coordhub").encode())
    root = files("coordhub.public")
    for folder in ("templates", "static"):
        for entry in sorted(root.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file():
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:12]


def safe_href(url: str) -> str | None:
    """``url`` if it is an absolute http(s) address, else ``None`` (shown as text, never a
    link: the workflow already refuses other schemes, and a page must not depend on that)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def iso(value: datetime) -> str:
    """RFC 3339 in UTC, for ``<time datetime>``."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
