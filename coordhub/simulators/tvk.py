"""TVK broadcaster: ``POST /tvk/newsml`` takes a NewsML-G2 item and a bilingual ticker line.

The body is ``{"newsml": "<newsItem ...>", "ticker": {"km": ..., "en": ...}}``, signed with
``X-TVK-Signature: sha256=<hex HMAC-SHA256 of the raw body>``. Answers 200
``{"guid": ..., "version": ...}`` taken from the ``newsItem``; duplicates get the same answer.
"""

from __future__ import annotations

import hashlib
import hmac
import xml.etree.ElementTree as ET
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from coordhub.simulators import validation
from coordhub.simulators.common import PayloadError
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.intake import json_intake
from coordhub.simulators.state import OutletState, SimulatorState

OUTLET = "tvk"
SIGNATURE_HEADER = "x-tvk-signature"
TICKER_MAX_CHARS = 140
"""Longest ticker line, per language, in Unicode code points."""


def sign(body: bytes, secret: str) -> str:
    """The ``X-TVK-Signature`` value of ``body``: ``sha256=<hex digest>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(request: Request, body: bytes, secret: str) -> bool:
    """Whether the request's signature matches its raw body (constant-time)."""
    given = request.headers.get(SIGNATURE_HEADER, "").strip()
    scheme, _, digest = given.partition("=")
    if scheme.lower() != "sha256" or not digest:
        return False
    expected = sign(body, secret).encode()
    return hmac.compare_digest(f"sha256={digest.lower()}".encode(), expected)


def news_item(newsml: str) -> tuple[str, str]:
    """The ``guid`` and ``version`` of a NewsML-G2 ``newsItem`` document."""
    try:
        root = ET.fromstring(newsml)
    except ET.ParseError as exc:
        raise PayloadError(f"newsml is not well-formed XML: {exc}") from exc
    local_name = root.tag.rpartition("}")[2]
    if local_name != "newsItem":
        raise PayloadError(f"newsml root element is {local_name}, expected newsItem")
    guid = root.get("guid", "").strip()
    version = root.get("version", "").strip()
    if not guid:
        raise PayloadError("newsItem has no guid attribute")
    if not version:
        raise PayloadError("newsItem has no version attribute")
    return guid, version


def judge_envelope(envelope: dict[str, Any], outlet: OutletState) -> dict[str, Any]:
    """Validate one envelope; TVK answers with the ``newsItem``'s guid and version."""
    guid, version = news_item(validation.string(envelope, "newsml"))
    validation.bilingual(envelope, "ticker", max_len=TICKER_MAX_CHARS)
    return {"guid": guid, "version": version}


def routes(state: SimulatorState, secrets: SimulatorSecrets) -> list[Route]:
    """The TVK endpoint, bound to ``state`` and the TVK signing secret."""

    def authenticate(request: Request, body: bytes) -> str | None:
        """None if the signature covers the raw body."""
        if signature_ok(request, body, secrets.tvk_secret):
            return None
        return "invalid or missing X-TVK-Signature"

    endpoint = json_intake(
        state, OUTLET, authenticate, judge_envelope, receipt_field="guid", status=200
    )
    return [Route("/tvk/newsml", endpoint, methods=["POST"], name="tvk-newsml")]
