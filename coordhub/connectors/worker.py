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
from collections.abc import Callable
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
from coordhub.db import placeholders
from coordhub.events.bus import SETTLE_SECONDS, bus
from coordhub.metrics import DELIVERY_LATENCY
from coordhub.models import (
    Delivery,
    DeliveryStatus,
)
from coordhub.settings import Settings

log = logging.getLogger("coordhub.worker")
_FREEZE = {
    dialect: "UPDATE delivery SET payload = {} WHERE id = {}".format(*placeholders(dialect, 2))
    for dialect in ("postgres", "sqlite")
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

        Observer hooks are dispatched beside the deliveries, in a loop of their own, so a
        slow observer never holds up a send. Once ``stop`` is set, the sends in flight finish
        and are recorded, and the claimed deliveries that have not started yet are released
        for another worker at once.
        """
        log.info("delivery worker %s started", self.owner)
        self._stop = stop
        observing = asyncio.create_task(self._observe(stop))
        try:
            while not stop.is_set():
                seen = bus().version
                try:
                    handled = await self.drain()
                except Exception:
                    log.exception("delivering failed; retrying after the poll interval")
                    handled = 0
                if not handled:
                    await self._idle(stop, seen)
        finally:
            observing.cancel()
            await asyncio.gather(observing, return_exceptions=True)
        log.info("delivery worker %s stopped", self.owner)

    async def _observe(self, stop: asyncio.Event) -> None:
        """Dispatch observer hooks from the event log until ``stop``: at once while the log
        has events for them, otherwise on a wake-up, ``SETTLE_SECONDS`` after the last round at
        the soonest (recording deliveries wakes the bus often; few events are for observers)."""
        while not stop.is_set():
            seen = bus().version
            try:
                # In a task of its own, as each claim: see ``_claim_in_task``.
                dispatched = await asyncio.create_task(
                    dispatch_observed(self.registry, self.settings)
                )
            except Exception:
                log.exception("dispatching observer hooks failed; retrying after the poll interval")
                dispatched = 0
            if not dispatched:
                await asyncio.sleep(SETTLE_SECONDS)
                await self._idle(stop, seen)

    async def _idle(self, stop: asyncio.Event, seen: int) -> None:
        """Sleep until a wake-up after ``seen``, ``stop``, or the poll interval."""
        wake = bus().wait(self.settings.delivery_poll_seconds, seen)
        waiters = [asyncio.ensure_future(wake)]
        waiters.append(asyncio.ensure_future(stop.wait()))
        _, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for waiter in pending:
            waiter.cancel()

    async def drain(self) -> int:
        """Deliver until nothing is due; how many deliveries were claimed.

        Claims overlap the sends: up to ``delivery_batch`` claimed deliveries wait for or hold
        one of the ``delivery_concurrency`` send slots, and as soon as half of them have been
        sent the next half is claimed while the rest go out. A sent delivery stops counting
        once the outlet has answered, while its outcome is still being recorded, so while
        deliveries are due the sends never wait for a claim, a commit or the slowest send.
        """
        batch = self.settings.delivery_batch
        refill = max(1, batch // 2)
        in_flight: set[asyncio.Task[None]] = set()
        unsent = 0
        room = asyncio.Event()

        def sent() -> None:
            nonlocal unsent
            unsent -= 1
            if batch - unsent >= refill:
                room.set()

        handled = 0
        try:
            while self._stop is None or not self._stop.is_set():
                free = batch - unsent
                claimed = await self._claim_in_task(free)
                handled += len(claimed)
                unsent += len(claimed)
                for delivery in claimed:
                    task = asyncio.create_task(self._deliver_logged(delivery, sent))
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
                if not in_flight:
                    break
                if len(claimed) < free:
                    # Nothing more is due now; what these sends record may make more due
                    # (a delivery held back behind an older one to the same outlet).
                    await asyncio.wait(in_flight)
                elif batch - unsent < refill:
                    room.clear()
                    await room.wait()
        finally:
            if in_flight:  # each records (or releases) its own delivery; none raises
                await asyncio.gather(*in_flight, return_exceptions=True)
        return handled

    async def run_once(self) -> int:
        """Dispatch observer hooks, claim one batch of due deliveries and send them.

        Returns how many events and deliveries were handled.
        """
        observed = await dispatch_observed(self.registry, self.settings)
        claimed = await self._claim_in_task(self.settings.delivery_batch)
        if claimed:
            await asyncio.gather(*(self._deliver_logged(d) for d in claimed))
        return observed + len(claimed)

    async def _claim_in_task(self, limit: int) -> list[Delivery]:
        # A task of its own: a transaction whose BEGIN failed on a lost connection leaves
        # Tortoise's connection context behind in the task that ran it, and it must not
        # outlive the claim (the worker would keep using the dead connection after the
        # database came back).
        return await asyncio.create_task(self.claim(limit))

    async def claim(self, limit: int | None = None) -> list[Delivery]:
        """Lease up to ``limit`` (default: ``delivery_batch``) due deliveries that have no older
        open delivery to the same outlet, with their payloads rendered (``claims.claim_due``)."""
        now = datetime.now(UTC)
        until = now + timedelta(seconds=self.settings.delivery_lease_seconds)
        async with in_transaction():
            claimed = await claim_due(self.owner, now, until, limit or self.settings.delivery_batch)
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

    async def _deliver_logged(
        self, delivery: Delivery, sent: Callable[[], None] | None = None
    ) -> None:
        try:
            await self.deliver(delivery, sent)
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

    async def deliver(self, delivery: Delivery, sent: Callable[[], None] | None = None) -> None:
        """Render (once), send, and record the outcome of one leased delivery.

        Only the send holds one of the ``delivery_concurrency`` slots: the outcome is recorded
        after the slot is free, with the other outcomes that end meanwhile
        (``OutcomeRecorder``), so the sends never wait for a commit. ``sent`` is called once
        the delivery no longer needs a slot (answered, released or never sendable). A delivery
        whose turn comes after the worker was told to stop is released unsent.
        """
        try:
            answer = await self._send(delivery)
        finally:
            if sent is not None:
                sent()
        if answer is not None:
            await self._record(delivery, *answer)

    async def _send(self, delivery: Delivery) -> tuple[Connector, float, object] | None:
        """Send ``delivery`` and return (its connector, the timeout, the answer: a ``Receipt``
        or the exception), or None when it was dealt with without an answer to record."""
        connector = self.registry.get(delivery.connector)
        if connector is None:
            await self._fail(delivery, f"no connector named '{delivery.connector}' is installed")
            return None
        try:
            connector_settings = settings_for(self.settings, connector)
        except ConnectorNotConfigured as exc:
            await self._wait_for_settings(delivery, str(exc))
            return None
        message = await self._message(delivery, connector)
        if message is None:
            return None
        ctx = SendContext(
            idempotency_key=delivery.idempotency_key,
            attempt=delivery.attempts,
            delivery_id=delivery.id,
            settings=connector_settings,
            http=self.http,
        )
        async with self._sends:
            if self._stop is not None and self._stop.is_set():
                stopped = True
            else:
                stopped = False
                try:
                    async with asyncio.timeout(connector_settings.timeout):
                        answer: Receipt | Exception = await connector.send(message, ctx)
                except Exception as exc:
                    answer = exc
        if stopped:
            await self.release(delivery)
            return None
        return connector, connector_settings.timeout, answer

    async def _record(
        self, delivery: Delivery, connector: Connector, time_limit: float, answer: object
    ) -> None:
        """Record what the outlet answered (``_send``)."""
        match answer:
            case Receipt():
                await self._succeed(delivery, answer)
            case GoneError():
                await self._fail(delivery, f"outlet gone: {answer.message}", disable=True)
            case PermanentError():
                await self._fail(delivery, answer.message)
            case RetryableError():
                await self._retry(delivery, answer.message, answer.retry_after)
            case TimeoutError() | httpx.TimeoutException():
                await self._retry(delivery, f"no answer within {time_limit}s", None)
            case httpx.TransportError():
                error = f"could not reach the outlet: {type(answer).__name__}"
                await self._retry(delivery, error, None)
            case Exception():
                log.error("connector %s raised unexpectedly", connector.name, exc_info=answer)
                await self._retry(delivery, f"unexpected error in the connector: {answer!r}", None)
            case _:
                error = f"the connector's send returned {answer!r}, not a Receipt"
                log.error("connector %s: %s", connector.name, error)
                await self._retry(delivery, error, None)

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
