"""In-memory state of the simulated outlets: failure modes, attempts and recorded deliveries."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

OUTLETS: tuple[str, ...] = ("akp", "tvk", "ministry-app", "webhook")
"""Names of the simulated outlets, as they appear in URLs."""


class Mode(enum.StrEnum):
    """How an outlet answers its next POSTs."""

    OK = "ok"
    DOWN = "down"
    ERROR = "error"
    THROTTLE = "throttle"
    GONE = "gone"
    SLOW = "slow"
    REJECT = "reject"


@dataclass(slots=True)
class ModeSetting:
    """A mode with its parameters; ``remaining`` is None for "until changed"."""

    mode: Mode = Mode.OK
    retry_after: int = 1
    delay: float = 1.0
    remaining: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as answered by ``GET /_control/{outlet}/mode``."""
        return {
            "mode": self.mode.value,
            "retry_after": self.retry_after,
            "delay": self.delay,
            "times": self.remaining,
        }


@dataclass(slots=True)
class Delivery:
    """One accepted delivery, with the answer that its duplicates get again."""

    seq: int
    id: str
    idempotency_key: str
    payload: Any
    headers: dict[str, str]
    received_at: datetime
    status: int
    response: dict[str, Any]
    attempts: int = 1
    duplicates: int = 0
    last_attempt_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as listed by ``GET /_control/{outlet}/received``."""
        return {
            "seq": self.seq,
            "id": self.id,
            "idempotency_key": self.idempotency_key,
            "payload": self.payload,
            "headers": self.headers,
            "received_at": self.received_at.isoformat(),
            "last_attempt_at": (self.last_attempt_at or self.received_at).isoformat(),
            "attempts": self.attempts,
            "duplicates": self.duplicates,
            "status": self.status,
            "response": self.response,
        }


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@dataclass(slots=True)
class OutletState:
    """Everything one outlet remembers until ``POST /_control/reset``."""

    name: str
    mode: ModeSetting = field(default_factory=ModeSetting)
    attempts: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    by_key: dict[str, Delivery] = field(default_factory=dict)
    key_attempts: dict[str, int] = field(default_factory=dict)

    def note_attempt(self, key: str | None) -> None:
        """Count one POST, whatever its fate, and once more for its idempotency key."""
        self.attempts += 1
        if not key:
            return
        self.key_attempts[key] = self.key_attempts.get(key, 0) + 1
        delivery = self.by_key.get(key)
        if delivery is not None:
            delivery.attempts = self.key_attempts[key]
            delivery.last_attempt_at = utcnow()

    def set_mode(self, setting: ModeSetting) -> None:
        """Replace the current mode (``ok`` clears any ``times`` budget)."""
        if setting.mode is Mode.OK:
            setting = ModeSetting()
        self.mode = setting

    def take_mode(self) -> ModeSetting:
        """The mode for this POST, using up one of its ``times`` if it has a budget."""
        current = self.mode
        if current.mode is Mode.OK or current.remaining is None:
            return current
        current.remaining -= 1
        if current.remaining <= 0:
            self.mode = ModeSetting()
        return dataclasses.replace(current)

    def replay(self, key: str) -> Delivery | None:
        """The delivery already accepted under ``key``, counting this one as a duplicate."""
        delivery = self.by_key.get(key)
        if delivery is not None:
            delivery.duplicates += 1
        return delivery

    def next_number(self) -> int:
        """The number the next accepted delivery gets (1, 2, ...)."""
        return len(self.deliveries) + 1

    def record(
        self,
        *,
        id: str,
        key: str,
        payload: Any,
        headers: dict[str, str],
        status: int,
        response: dict[str, Any],
    ) -> Delivery:
        """Remember an accepted delivery under its idempotency key."""
        delivery = Delivery(
            seq=self.next_number(),
            id=id,
            idempotency_key=key,
            payload=payload,
            headers=headers,
            received_at=utcnow(),
            status=status,
            response=response,
            attempts=self.key_attempts.get(key, 1),
        )
        self.deliveries.append(delivery)
        self.by_key[key] = delivery
        return delivery


class SimulatorState:
    """The state of every outlet of one simulator app."""

    def __init__(self) -> None:
        """Start with every outlet empty and in ``ok`` mode."""
        self.outlets: dict[str, OutletState] = {}
        self.reset()

    def reset(self) -> None:
        """Forget every delivery, attempt count and mode."""
        self.outlets = {name: OutletState(name) for name in OUTLETS}

    def __getitem__(self, name: str) -> OutletState:
        """The state of the outlet called ``name``."""
        return self.outlets[name]
