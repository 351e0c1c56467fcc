"""Shared renderers connector plugins use to turn a ``RebuttalItem`` into a standard format.

All are pure: no I/O, no clock; the same item always renders to identical output.

- ``render_ninjs``: IPTC ninjs 2.1 or 3.1 (a JSON-ready ``dict``);
- ``render_newsml_g2``: an IPTC NewsML-G2 ``newsItem`` (an XML string);
- ``render_claimreview``: schema.org ClaimReview JSON-LD in English or Khmer (a JSON-ready
  ``dict``); ``render_claimreview_translations``: both, linked as translations;
- ``json_message``: any JSON-ready value as the ``OutletMessage`` to store and send;
- ``clip``: a text on one line, cut to an outlet's length limit with an ellipsis.
"""

from coordhub.connectors.formats._common import clip, json_message
from coordhub.connectors.formats.claimreview import (
    VERDICT_LABELS_KM,
    VERDICT_RATINGS,
    render_claimreview,
    render_claimreview_translations,
)
from coordhub.connectors.formats.newsml import render_newsml_g2
from coordhub.connectors.formats.ninjs import render_ninjs

__all__ = [
    "VERDICT_LABELS_KM",
    "VERDICT_RATINGS",
    "clip",
    "json_message",
    "render_claimreview",
    "render_claimreview_translations",
    "render_newsml_g2",
    "render_ninjs",
]
