"""Atom feeds (feedgen) and the sitemap.

A feed is in one language. Its entries are rebuttals in the order of their latest public
change (publication, correction, retraction): a correction or a retraction is the same entry
(same ``id``, the page's address) with a later ``updated`` and a note saying what happened, so
a reader's feed client shows it as updated rather than as a new item.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from jinja2 import Environment
from lxml import etree

from coordhub.public import urls
from coordhub.public.languages import LANGUAGES, Language
from coordhub.public.records import RebuttalView
from coordhub.public.texts import Strings

#: ``updated`` of a feed with no entry yet (a fixed time, so the bytes stay the same).
EMPTY_FEED_UPDATED = datetime(2025, 1, 1, tzinfo=UTC)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def atom(
    rebuttals: Iterable[RebuttalView],
    *,
    env: Environment,
    language: Language,
    title: str,
    feed_path: str,
    page_path: str,
    base_url: str,
) -> bytes:
    """An Atom feed of ``rebuttals`` (already in feed order) in ``language``."""
    ui = Strings(language)
    feed = FeedGenerator()
    feed.id(urls.absolute(base_url, feed_path))
    feed.title(title)
    feed.subtitle(ui.tagline)
    feed.language(language)
    feed.link(href=urls.absolute(base_url, feed_path), rel="self", type="application/atom+xml")
    feed.link(href=urls.absolute(base_url, page_path), rel="alternate", type="text/html")
    feed.generator("coordhub")
    content = env.get_template("feed_entry.html")
    entries = list(rebuttals)
    feed.updated(max((r.updated_at for r in entries), default=EMPTY_FEED_UPDATED))
    for rebuttal in entries:
        page = urls.absolute(base_url, urls.rebuttal(language, rebuttal.id))
        entry = feed.add_entry(order="append")
        entry.id(page)
        entry.title(_entry_title(ui, rebuttal, language))
        entry.link(href=page, rel="alternate", type="text/html", hreflang=language)
        entry.published(rebuttal.first_published_at)
        entry.updated(rebuttal.updated_at)
        entry.author(name=rebuttal.institution.name[language])
        entry.category(term=rebuttal.live.verdict, label=ui.verdict_name(rebuttal.live.verdict))
        html = content.render(ui=ui, lang=language, rebuttal=rebuttal)
        entry.content(html, type="html")
    document: bytes = feed.atom_str(pretty=True)
    return document


def _entry_title(ui: Strings, rebuttal: RebuttalView, language: Language) -> str:
    headline = rebuttal.live.headline[language]
    if rebuttal.retracted:
        return f"{ui.retracted}: {headline}"
    if rebuttal.live.number > 1:
        return f"{ui.corrected}: {headline}"
    return headline


def sitemap(pages: Iterable[tuple[str, datetime | None]], *, base_url: str) -> bytes:
    """A sitemap of ``pages`` (each a path with ``{lang}`` in place of the language, and when it
    last changed): one ``<url>`` per language, each naming every language's version with
    ``xhtml:link hreflang``."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for template, lastmod in pages:
        versions = {
            language: urls.absolute(base_url, template.format(lang=language))
            for language in LANGUAGES
        }
        for language in LANGUAGES:
            entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = versions[language]
            if lastmod is not None:
                stamp = lastmod.astimezone(UTC).replace(microsecond=0).isoformat()
                etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = stamp
            for alternate in LANGUAGES:
                etree.SubElement(
                    entry,
                    f"{{{XHTML_NS}}}link",
                    rel="alternate",
                    hreflang=alternate,
                    href=versions[alternate],
                )
    document: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return document
