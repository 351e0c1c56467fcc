"""The delivery worker: claims due deliveries under a lease, sends them, records the outcome.

Several workers may run against PostgreSQL: claiming uses ``FOR UPDATE SKIP LOCKED``, so no two
hold the same row, and a lease that expires (a worker died mid-send) makes the row claimable
again. On SQLite, Tortoise ignores row locks: run one worker (the embedded default).
Delivery is at-least-once; the stable idempotency key lets outlets drop duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from coordhub.connectors.claims import claim_due
from coordhub.connectors.config import ConnectorNotConfigured, settings_for
from coordhub.connectors.manager import ConnectorRegistry
from coordhub.connectors.observers import dispatch_observed
from coordhub.connectors.outcomes import Outcome, OutcomeRecorder
from coordhub.connectors.types import (
    Action,
    Connector,
    FailedDelivery,
    GoneError,
    OutletMessage,
    PermanentError,
    RebuttalItem,
    Receipt,
    RetryableError,
    SendContext,
)
from coordhub.events.bus import bus
from coordhub.metrics import DELIVERY_LATENCY
from coordhub.models import (
    Delivery,
    DeliveryStatus,
)
from coordhub.settings import Settings

log = logging.getLogger("coordhub.worker")
_FREEZE = {
    "postgres": "UPDATE delivery SET payload = $1 WHERE id = $2",
    "sqlite": "UPDATE delivery SET payload = ? WHERE id = ?",
}


def default_owner() -> str:
    """A name for this worker that is unique across hosts and restarts."""
    return f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"


class DeliveryWorker:
    """Drains the outbox. ``run`` loops until stopped; ``run_once`` handles one batch."""

    def __init__(
        self,
        settings: Settings,
        registry: ConnectorRegistry,
        *,
        owner: str | None = None,
        http: httpx.AsyncClient | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.owner = owner or default_owner()
        self.http = http or httpx.AsyncClient(follow_redirects=False)
        self.rng = rng or random.Random()
        self._sends = asyncio.Semaphore(settings.delivery_concurrency)
        self._recorder = OutcomeRecorder(self.owner)
        self._stop: asyncio.Event | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, sleeping on wake-ups while there is nothing to do.

        Once ``stop`` is set, the sends in flight finish and are recorded, and the deliveries
        of the batch that have not started yet are released for another worker at once.
        """
        log.info("delivery worker %s started", self.owner)
        self._stop = stop
        while not stop.is_set():
            seen = bus().version
            try:
                # Each batch in a task of its own: a transaction whose BEGIN failed on a lost
                # connection leaves Tortoise's connection context behind in the task that ran
                # it, and it must not outlive the batch (the worker would keep using the dead
                # connection after the database came back).
                handled = await asyncio.create_task(self.run_once())
            except Exception:
                log.exception("delivery batch failed; retrying after the poll interval")
                handled = 0
            if not handled:
                await self._idle(stop, seen)
        log.info("delivery worker %s stopped", self.owner)

    async def _idle(self, stop: asyncio.Event, seen: int) -> None:
        """Sleep until a wake-up after ``seen``, ``stop``, or the poll interval."""
        wake = bus().wait(self.settings.delivery_poll_seconds, seen)
        waiters = [asyncio.ensure_future(wake)]
        waiters.append(asyncio.ensure_future(stop.wait()))
        _, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in pending:
            waiter.cancel()

    async def run_once(self) -> int:
        """Dispatch observer hooks, claim one batch of due deliveries and send them.

        Returns how many events and deliveries were handled.
        """
        observed = await dispatch_observed(self.registry, self.settings)
        claimed = await self.claim()
        if claimed:
            await asyncio.gather(*(self._deliver_bounded(d) for d in claimed))
        return observed + len(claimed)

    async def claim(self) -> list[Delivery]:
        """Lease due deliveries that have no older open delivery to the same outlet, with
        their payloads rendered (``claims.claim_due``)."""
        now = datetime.now(UTC)
        until = now + timedelta(seconds=self.settings.delivery_lease_seconds)
        async with in_transaction():
            claimed = await claim_due(self.owner, now, until, self.settings.delivery_batch)
            await self._freeze_payloads(claimed)
        return claimed

    async def _freeze_payloads(self, claimed: list[Delivery]) -> None:
        """Render the payloads not rendered yet, in the claim's transaction (one commit for the
        batch, not one each). A rendering that fails is left to ``deliver``, which fails it."""
        rendered = []
        for delivery in claimed:
            connector = self.registry.get(delivery.connector)
            if delivery.payload is not None or connector is None:
                continue
            try:
                message = connector.render(RebuttalItem.model_validate(delivery.item))
            except Exception:
                continue
            delivery.payload = message.model_dump(mode="json")
            rendered.append(delivery)
        if rendered:
            db = Delivery._choose_db(for_write=True)
            payload = Delivery._meta.fields_map["payload"]
            await db.execute_many(
                _FREEZE[db.capabilities.dialect],
                [[payload.to_db_value(d.payload, d), d.id] for d in rendered],
            )

    async def _deliver_bounded(self, delivery: Delivery) -> None:
        async with self._sends:
            try:
                if self._stop is not None and self._stop.is_set():
                    await self.release(delivery)
                else:
                    await self.deliver(delivery)
            except Exception:
                log.exception("recording delivery %s failed; its lease will expire", delivery.id)

    async def release(self, delivery: Delivery) -> None:
        """Give back a leased delivery that was not sent: due again at once, for any worker,
        with the attempt it was claimed for taken back."""
        changed = await self._leased(delivery).update(
            status=DeliveryStatus.PENDING if delivery.attempts <= 1 else DeliveryStatus.RETRYING,
            attempts=F("attempts") - 1,
            lease_owner=None,
            lease_expires_at=None,
        )
        if changed:
            log.info("delivery %s released unsent (shutting down)", delivery.id)

    async def deliver(self, delivery: Delivery) -> None:
        """Render (once), send, and record the outcome of one leased delivery."""
        connector = self.registry.get(delivery.connector)
        if connector is None:
            await self._fail(delivery, f"no connector named '{delivery.connector}' is installed")
            return
        try:
            connector_settings = settings_for(self.settings, connector)
        except ConnectorNotConfigured as exc:
            await self._wait_for_settings(delivery, str(exc))
            return
        message = await self._message(delivery, connector)
        if message is None:
            return
        ctx = SendContext(
            idempotency_key=delivery.idempotency_key,
            attempt=delivery.attempts,
            delivery_id=delivery.id,
            settings=connector_settings,
            http=self.http,
        )
        try:
            async with asyncio.timeout(connector_settings.timeout):
                receipt = await connector.send(message, ctx)
        except GoneError as exc:
            await self._fail(delivery, f"outlet gone: {exc.message}", disable=True)
        except PermanentError as exc:
            await self._fail(delivery, exc.message)
        except RetryableError as exc:
            await self._retry(delivery, exc.message, exc.retry_after)
        except (TimeoutError, httpx.TimeoutException):
            await self._retry(delivery, f"no answer within {connector_settings.timeout}s", None)
        except httpx.TransportError as exc:
            await self._retry(delivery, f"could not reach the outlet: {type(exc).__name__}", None)
        except Exception as exc:
            log.exception("connector %s raised unexpectedly", connector.name)
            await self._retry(delivery, f"unexpected error in the connector: {exc!r}", None)
        else:
            await self._succeed(delivery, receipt)

    async def _message(self, delivery: Delivery, connector: Connector) -> OutletMessage | None:
        """The frozen payload, rendering and storing it before the first send."""
        if delivery.payload is not None:
            return OutletMessage.model_validate(delivery.payload)
        try:
            message = connector.render(RebuttalItem.model_validate(delivery.item))
        except Exception as exc:
            log.exception("connector %s failed to render delivery %s", connector.name, delivery.id)
            await self._fail(delivery, f"rendering failed: {exc!r}")
            return None
        delivery.payload = message.model_dump(mode="json")
        await self._leased(delivery).update(payload=delivery.payload)
        return message

    def _leased(self, delivery: Delivery):  # type: ignore[no-untyped-def]
        """The row, only while this worker still holds its lease."""
        return Delivery.filter(
            id=delivery.id, lease_owner=self.owner, status=DeliveryStatus.DELIVERING
        )

    async def _succeed(self, delivery: Delivery, receipt: Receipt) -> None:
        outcome = Outcome(delivery, DeliveryStatus.DELIVERED, external_id=receipt.external_id)
        written = await self._recorder.record(outcome)
        if written:
            waited = (datetime.now(UTC) - delivery.created_at).total_seconds()
            DELIVERY_LATENCY.labels(connector=delivery.connector).observe(waited)
        self._after(written, delivery)

    async def _retry(self, delivery: Delivery, error: str, retry_after: float | None) -> None:
        schedule = self.settings.delivery_backoff_seconds
        if delivery.attempts > len(schedule):
            await self._fail(delivery, f"gave up after {delivery.attempts} attempts: {error}")
            return
        wait = schedule[delivery.attempts - 1] * (
            1 + self.settings.delivery_jitter * (2 * self.rng.random() - 1)
        )
        if retry_after is not None:
            wait = max(wait, retry_after)
        outcome = Outcome(
            delivery,
            DeliveryStatus.RETRYING,
            error=error,
            next_attempt_at=datetime.now(UTC) + timedelta(seconds=wait),
        )
        self._after(await self._recorder.record(outcome), delivery)

    async def _wait_for_settings(self, delivery: Delivery, error: str) -> None:
        """An unconfigured connector's delivery waits (without using up its attempts) and is
        looked at again after the poll interval, so it goes out once the operator adds them."""
        changed = await self._leased(delivery).update(
            status=DeliveryStatus.RETRYING,
            attempts=F("attempts") - 1,
            next_attempt_at=datetime.now(UTC)
            + timedelta(seconds=max(60.0, self.settings.delivery_poll_seconds)),
            last_error=error,
            lease_owner=None,
            lease_expires_at=None,
        )
        self._after(changed, delivery)

    async def _fail(self, delivery: Delivery, error: str, *, disable: bool = False) -> None:
        outcome = Outcome(delivery, DeliveryStatus.FAILED, error=error, disable=disable)
        written = await self._recorder.record(outcome)
        self._after(written, delivery)
        if written:
            item = RebuttalItem.model_validate(delivery.item)
            failure = FailedDelivery(
                delivery_id=delivery.id,
                connector=delivery.connector,
                rebuttal_id=item.id,
                revision=delivery.revision,
                action=Action(delivery.action.value),
                attempts=delivery.attempts,
                error=error,
            )
            await self.registry.broadcast("coordhub_delivery_failed", failure=failure)

    def _after(self, written: object, delivery: Delivery) -> None:
        if not written:
            log.warning("delivery %s: lease lost before recording the outcome", delivery.id)
