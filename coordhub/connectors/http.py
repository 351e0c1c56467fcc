"""Helpers for connectors that push over HTTP: classify an outlet's answer the standard way.

``push`` posts a rendered message, ``receipt_from`` / ``raise_for_outlet`` classify the answer,
and ``BearerPushConnector`` is a whole ``send`` for outlets that take a bearer token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import ClassVar

import httpx
from pydantic import SecretStr

from coordhub.connectors.types import (
    Connector,
    ConnectorSettings,
    GoneError,
    OutletMessage,
    PermanentError,
    Receipt,
    RetryableError,
    SendContext,
)

#: Statuses worth retrying besides 5xx: request timeout and too many requests.
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _reason(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f"HTTP {response.status_code}" + (f": {text[:300]}" if text else "")


def raise_for_outlet(response: httpx.Response) -> None:
    """Raise the delivery error a non-2xx answer means: 5xx, 408 and 429 retry (honouring
    ``Retry-After``), 410 disables the connector, any other 4xx fails at once."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if status >= 500 or status in RETRYABLE_STATUSES:
        delay = retry_after_seconds(response.headers.get("retry-after"))
        raise RetryableError(_reason(response), retry_after=delay)
    if status == 410:
        raise GoneError(_reason(response))
    raise PermanentError(_reason(response))


def receipt_from(response: httpx.Response, *keys: str) -> Receipt:
    """A receipt from a 2xx JSON answer, taking the outlet's id from the first key present."""
    raise_for_outlet(response)
    try:
        body = response.json()
    except ValueError:
        body = {}
    external_id = next(
        (str(body[key]) for key in keys if isinstance(body, dict) and body.get(key) is not None),
        None,
    )
    return Receipt(external_id=external_id, detail=f"HTTP {response.status_code}")


async def push(
    message: OutletMessage,
    ctx: SendContext,
    *,
    headers: dict[str, str] | None = None,
    idempotency_header: str | None = "Idempotency-Key",
) -> httpx.Response:
    """POST a rendered message to the connector's endpoint with the core's HTTP client.

    Sets the content type, the idempotency key (under ``idempotency_header``; ``None`` if your
    ``headers`` carry it another way) and the connector's timeout; add credentials in
    ``headers``.
    """
    all_headers = {"Content-Type": message.content_type, **message.headers}
    if idempotency_header:
        all_headers[idempotency_header] = ctx.idempotency_key
    all_headers.update(headers or {})
    return await ctx.http.post(
        ctx.settings.endpoint,
        content=message.body.encode(),
        headers=all_headers,
        timeout=ctx.settings.timeout,
    )


class BearerTokenSettings(ConnectorSettings):
    """Settings of an outlet that takes ``Authorization: Bearer <token>``: subclass to document
    (or extend) yours."""

    token: SecretStr


class BearerPushConnector(Connector):
    """A connector whose ``send`` is one ``push`` with a bearer token: implement ``render``.

    Set ``name``, ``settings_model`` (a ``BearerTokenSettings``) and ``receipt_keys``, the keys
    of the outlet's JSON answer that may hold its id for the item (the first present wins).
    """

    settings_model: ClassVar[type[ConnectorSettings]] = BearerTokenSettings
    receipt_keys: ClassVar[tuple[str, ...]] = ("id",)

    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        """Push ``message`` with the token of ``ctx.settings``; classify the answer."""
        settings = ctx.settings
        assert isinstance(settings, BearerTokenSettings)
        bearer = {"Authorization": f"Bearer {settings.token.get_secret_value()}"}
        return receipt_from(await push(message, ctx, headers=bearer), *self.receipt_keys)
