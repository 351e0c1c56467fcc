"""Rate limits per caller, with the ``limits`` library: requests, query cost, failed sign-ins.

A caller is a token (every request made with it, from anywhere) or, without a token, a client
address (as the trusted proxies report it, see ``Settings.trusted_proxies``). Each caller has
a budget of requests (counted exactly, in a moving window) and a budget of query cost per
window (a sliding window counter, an approximation that weighs the previous window); each
address has a budget of failed authentications, past which it is locked out until the window
moves on. Counters live in memory for one process, or in Redis when ``COORDHUB_BROKER_URL``
names it, and then hold across every API process.

The limiter fails open: if Redis cannot be reached, requests go through and a warning is
logged (and counted), so that an outage of the counters does not become an outage of the API.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from prometheus_client import Counter

from coordhub.settings import Settings

log = logging.getLogger(__name__)

REFUSED = Counter(
    "coordhub_rate_limited_total", "Requests refused by a rate limit, by limit.", ["limit"]
)
UNAVAILABLE = Counter(
    "coordhub_rate_limit_unavailable_total", "Rate limit checks skipped: storage unreachable."
)


def client_address(scope: MutableMapping[str, Any]) -> str:
    """An ASGI request's client address as the (trusted) proxies report it, else the peer's."""
    client = scope.get("client")
    return client[0] if client else "unknown"


@dataclass(frozen=True)
class Caller:
    """Who a budget belongs to: ``token:<id>`` or ``address:<ip>``."""

    kind: str
    key: str

    @property
    def signed_in(self) -> bool:
        return self.kind == "token"

    @classmethod
    def of(cls, token_id: int | None, address: str | None) -> Caller:
        if token_id is not None:
            return cls("token", str(token_id))
        return cls("address", address or "unknown")


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check, with what the RateLimit headers report."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    name: str

    @property
    def retry_after(self) -> int:
        """Seconds to wait before the budget allows this again (at least 1)."""
        return max(1, self.reset_seconds)

    def headers(self) -> dict[str, str]:
        """``RateLimit-*`` headers (IETF draft) and, when refused, ``Retry-After``."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimits:
    """The process's limiter; one per app, shared by the middleware and the schema."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits_enabled
        broker = settings.broker_url or ""
        if broker.startswith(("redis://", "rediss://")):
            self.storage_uri = "async+" + broker
            # Keyed by the database too: deployments sharing a Redis keep their own counters.
            database = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
            self.storage = storage_from_string(
                self.storage_uri, implementation="redispy", key_prefix=f"coordhub:{database}"
            )
        else:
            self.storage_uri = "async+memory://"
            self.storage = storage_from_string(self.storage_uri)
        # Requests and failed sign-ins in an exact moving window (one timestamp per hit, so at
        # most the window's requests in all); cost in a sliding window counter (two counters
        # per caller, as a cost of thousands would be thousands of timestamps).
        self.counter = MovingWindowRateLimiter(self.storage)
        self.meter = SlidingWindowCounterRateLimiter(self.storage)
        self.token_requests = parse(settings.rate_limit_token_requests)
        self.address_requests = parse(settings.rate_limit_address_requests)
        self.token_cost = parse(settings.rate_limit_token_cost)
        self.address_cost = parse(settings.rate_limit_address_cost)
        self.auth_failures = parse(settings.rate_limit_auth_failures)
        self.page_requests = parse(settings.rate_limit_page_requests)
        self.correction_requests = parse(settings.rate_limit_correction_requests)

    async def request(self, caller: Caller) -> Verdict:
        """Count one request against the caller's request budget."""
        item = self.token_requests if caller.signed_in else self.address_requests
        return await self._hit(self.counter, "requests", item, caller, 1)

    async def page(self, address: str) -> Verdict:
        """Count one request for a public page (or feed, or file) against its address: pages
        are the same for everyone, so a token does not buy more of them."""
        return await self._hit(
            self.counter, "pages", self.page_requests, Caller("address", address), 1
        )

    async def correction_request(self, address: str) -> Verdict:
        """Count one correction request sent from the public pages against its address."""
        return await self._hit(
            self.counter,
            "corrections",
            self.correction_requests,
            Caller("address", address),
            1,
        )

    async def cost(self, caller: Caller, cost: int) -> Verdict:
        """Charge an operation's cost against the caller's cost budget."""
        item = self.token_cost if caller.signed_in else self.address_cost
        return await self._hit(self.meter, "cost", item, caller, cost)

    async def locked_out(self, address: str) -> Verdict | None:
        """A refusal if the address has failed to authenticate too often, else ``None``."""
        if not self.enabled:
            return None
        caller = Caller("address", address)
        try:
            stats = await self.counter.get_window_stats(self.auth_failures, "auth", caller.key)
        except Exception as exc:  # storage unreachable: fail open
            self._unavailable(exc)
            return None
        if stats.remaining > 0:
            return None
        REFUSED.labels(limit="auth_failures").inc()
        return self._verdict("auth_failures", self.auth_failures, False, stats)

    async def authentication_failed(self, address: str) -> None:
        """Count a failed authentication from the address."""
        if not self.enabled:
            return
        try:
            await self.counter.hit(self.auth_failures, "auth", address)
        except Exception as exc:
            self._unavailable(exc)

    async def _hit(
        self,
        limiter: MovingWindowRateLimiter | SlidingWindowCounterRateLimiter,
        name: str,
        item: RateLimitItem,
        caller: Caller,
        cost: int,
    ) -> Verdict:
        if not self.enabled:
            return Verdict(True, item.amount, item.amount, 0, name)
        try:
            allowed = await limiter.hit(item, name, caller.kind, caller.key, cost=cost)
            stats = await limiter.get_window_stats(item, name, caller.kind, caller.key)
        except Exception as exc:
            self._unavailable(exc)
            return Verdict(True, item.amount, item.amount, 0, name)
        if not allowed:
            REFUSED.labels(limit=name).inc()
        return self._verdict(name, item, allowed, stats)

    @staticmethod
    def _verdict(name: str, item: RateLimitItem, allowed: bool, stats: object) -> Verdict:
        reset_time = float(getattr(stats, "reset_time", time.time()))
        remaining = int(getattr(stats, "remaining", 0))
        reset = max(0, math.ceil(reset_time - time.time()))
        return Verdict(allowed, item.amount, max(0, remaining), reset, name)

    @staticmethod
    def _unavailable(exc: Exception) -> None:
        UNAVAILABLE.inc()
        log.warning("rate limit storage unreachable, letting the request through: %s", exc)
