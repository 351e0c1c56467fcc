"""IPTC NewsML-G2 (2.33, power conformance) ``newsItem`` for a rebuttal item, built with lxml."""

from __future__ import annotations

from lxml import etree

from coordhub.connectors.formats._common import (
    clean_text,
    editorial_note,
    iso_datetime,
    paragraphs,
    rebuttal_guid,
    version_created,
)
from coordhub.connectors.formats.claimreview import VERDICT_RATINGS
from coordhub.connectors.types import Action, RebuttalItem, Text

NAR_NS = "http://iptc.org/std/nar/2006-10-01/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
STANDARD_VERSION = "2.33"
#: The IPTC catalog resolving the ``ninat:``, ``stat:``, ``sig:``, ``irel:`` and ``cpnat:`` codes.
CATALOG_URL = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"
#: Marks the ``description`` holding the claim, so it is not mistaken for a summary of the item.
CLAIM_DESCRIPTION_ROLE = "https://schema.org/claimReviewed"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGES = ("en", "km")


def render_newsml_g2(item: RebuttalItem, *, provider: str = "coordhub") -> str:
    """Render ``item`` as a NewsML-G2 ``newsItem`` document (UTF-8, with XML declaration).

    ``guid`` is derived from the rebuttal id (the same for every revision) and ``version`` is the
    revision. ``itemMeta`` carries ``pubStatus`` (``stat:canceled`` for a retraction, else
    ``stat:usable``), an ``edNote`` in English and one in Khmer for a retraction (with its
    reason) or a correction, ``signal sig:correction`` and a ``irel:previousVersion`` link for
    a correction, and one ``irel:seeAlso`` link per evidence source (titled in English).
    ``contentMeta`` has headlines, bylines and the claim description in English and Khmer
    (``xml:lang``), the institution as ``creator``, the topic and verdict as subjects;
    ``contentSet`` holds one XHTML body with both languages, each section ending with the
    evidence list in its language.

    Characters XML 1.0 forbids are dropped, so any text gives a well-formed document. The
    returned string must be sent encoded as UTF-8. Pure: the same item gives identical text.
    """
    root = etree.Element(
        _nar("newsItem"),
        {
            "guid": rebuttal_guid(item),
            "version": str(item.revision),
            "standard": "NewsML-G2",
            "standardversion": STANDARD_VERSION,
            "conformance": "power",
            _XML_LANG: "en",
        },
        nsmap={None: NAR_NS},
    )
    _sub(root, "catalogRef", href=CATALOG_URL)
    _item_meta(root, item, provider)
    _content_meta(root, item)
    _content_set(root, item)
    document: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return document.decode("utf-8")


def _item_meta(root: etree._Element, item: RebuttalItem, provider: str) -> None:
    """Management metadata, in the order the NewsML-G2 schema requires."""
    meta = _sub(root, "itemMeta")
    _sub(meta, "itemClass", qcode="ninat:text")
    _sub(meta, "provider", literal=clean_text(provider))
    _sub(meta, "versionCreated", iso_datetime(version_created(item)))
    _sub(meta, "firstCreated", iso_datetime(item.first_published_at))
    status = "stat:canceled" if item.action == Action.RETRACT else "stat:usable"
    _sub(meta, "pubStatus", qcode=status)
    for language in _LANGUAGES:
        note = editorial_note(item, language)
        if note is not None:
            _sub(meta, "edNote", note, lang=language)
    if item.is_correction:
        _sub(meta, "signal", qcode="sig:correction")
        _sub(
            meta,
            "link",
            rel="irel:previousVersion",
            residref=rebuttal_guid(item),
            version=str(item.revision - 1),
        )
    for evidence in item.evidence:
        _sub(
            meta,
            "link",
            rel="irel:seeAlso",
            href=clean_text(evidence.url),
            title=clean_text(evidence.title.en),
        )


def _content_meta(root: etree._Element, item: RebuttalItem) -> None:
    """Descriptive metadata, in the order the NewsML-G2 schema requires."""
    meta = _sub(root, "contentMeta")
    creator = _sub(meta, "creator", literal=clean_text(item.institution.slug))
    _per_language(creator, "name", item.institution.name)
    for language in _LANGUAGES:
        _sub(meta, "language", tag=language)
    topic = clean_text(item.claim.topic)
    _sub(_sub(meta, "subject", type="cpnat:abstract", literal=f"topic:{topic}"), "name", topic)
    rating = VERDICT_RATINGS.get(item.verdict)
    verdict = clean_text(item.verdict)
    subject = _sub(meta, "subject", type="cpnat:abstract", literal=f"verdict:{verdict}")
    _sub(subject, "name", rating.label if rating else verdict, lang="en")
    _per_language(meta, "headline", item.headline)
    _per_language(meta, "by", item.institution.name)
    _per_language(meta, "description", item.claim.summary, roleuri=CLAIM_DESCRIPTION_ROLE)


def _content_set(root: etree._Element, item: RebuttalItem) -> None:
    """The body as one XHTML document holding an English and a Khmer section."""
    inline = _sub(_sub(root, "contentSet"), "inlineXML", contenttype="application/xhtml+xml")
    html = etree.SubElement(inline, _xhtml("html"), nsmap={None: XHTML_NS})
    head = etree.SubElement(html, _xhtml("head"))
    etree.SubElement(head, _xhtml("title")).text = clean_text(item.headline.en)
    body = etree.SubElement(html, _xhtml("body"))
    for language in _LANGUAGES:
        section = etree.SubElement(body, _xhtml("div"), {"lang": language, _XML_LANG: language})
        heading = etree.SubElement(section, _xhtml("h1"))
        heading.text = clean_text(getattr(item.headline, language))
        for paragraph in paragraphs(getattr(item.body, language)):
            _paragraph(section, paragraph)
        _evidence_list(section, item, language)


#: The heading of the evidence list in each language's section of the body.
_EVIDENCE_HEADING = {"en": "Evidence", "km": "ភស្តុតាង"}


def _evidence_list(section: etree._Element, item: RebuttalItem, language: str) -> None:
    """The sources, linked, with their titles and notes in ``language`` (nothing if none)."""
    if not item.evidence:
        return
    etree.SubElement(section, _xhtml("h2")).text = _EVIDENCE_HEADING[language]
    listing = etree.SubElement(section, _xhtml("ul"))
    for evidence in item.evidence:
        entry = etree.SubElement(listing, _xhtml("li"))
        link = etree.SubElement(entry, _xhtml("a"), {"href": clean_text(evidence.url)})
        link.text = clean_text(getattr(evidence.title, language))
        note = clean_text(getattr(evidence.note, language)).strip()
        if note:
            link.tail = f": {note}"


def _paragraph(parent: etree._Element, text: str) -> None:
    """A ``<p>``, with a ``<br/>`` for each line break inside the paragraph."""
    element = etree.SubElement(parent, _xhtml("p"))
    first, *rest = text.split("\n")
    element.text = first
    for line in rest:
        etree.SubElement(element, _xhtml("br")).tail = line


def _per_language(
    parent: etree._Element, local_name: str, text: Text, /, **attributes: str
) -> list[etree._Element]:
    """One element per language, English then Khmer, each with its ``xml:lang``."""
    return [
        _sub(parent, local_name, getattr(text, language), lang=language, **attributes)
        for language in _LANGUAGES
    ]


def _sub(
    parent: etree._Element,
    local_name: str,
    text: str | None = None,
    /,
    *,
    lang: str | None = None,
    **attributes: str,
) -> etree._Element:
    """Append a NewsML-G2 element with (cleaned) text, attributes and optional ``xml:lang``."""
    element = etree.SubElement(parent, _nar(local_name), attributes)
    if lang is not None:
        element.set(_XML_LANG, lang)
    if text is not None:
        element.text = clean_text(text)
    return element


def _nar(tag: str) -> str:
    return f"{{{NAR_NS}}}{tag}"


def _xhtml(tag: str) -> str:
    return f"{{{XHTML_NS}}}{tag}"
