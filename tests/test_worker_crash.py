"""A worker process killed with SIGKILL mid-batch loses nothing and duplicates nothing that the
idempotency key does not deduplicate (PostgreSQL, real processes, real HTTP)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coordhub.models import Delivery, DeliveryStatus
from coordhub.settings import Settings
from tests.delivery import Outlets, connector_settings, drain
from tests.flows import publish
from tests.support import GraphQLClient

REBUTTALS = 6


# PostgreSQL for every fixture of this module in every run (several processes share the
# database; tests/databases.py).
pytestmark = pytest.mark.postgres_only


def start_worker(settings: Settings, outlets: Outlets) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "COORDHUB_DATABASE_URL": settings.database_url,
        "COORDHUB_CONNECTORS": json.dumps(connector_settings(outlets.base)),
        "COORDHUB_DELIVERY_LEASE_SECONDS": "2",
        "COORDHUB_DELIVERY_POLL_SECONDS": "0.1",
        "COORDHUB_DELIVERY_BACKOFF_SECONDS": "[0.1, 0.1, 0.1, 0.1, 0.1, 0.1]",
    }
    command = [str(Path(sys.executable).parent / "coordhub"), "worker", "--owner", "doomed"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


async def test_sigkill_mid_batch_loses_and_duplicates_nothing(
    gql: GraphQLClient, outlets: Outlets, worker, delivery_settings: Settings
) -> None:
    await outlets.mode("akp", "slow", delay=1.5)
    for _ in range(REBUTTALS):
        await publish(gql, ["akp"])

    doomed = start_worker(delivery_settings, outlets)
    try:
        deadline = time.monotonic() + 20
        while not await Delivery.filter(status=DeliveryStatus.DELIVERING).exists():
            assert doomed.poll() is None, doomed.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker never claimed a batch"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # sends are in flight at the slow outlet
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
    in_flight = await Delivery.filter(status=DeliveryStatus.DELIVERING, lease_owner="doomed")
    assert in_flight, "the kill should have left leased deliveries behind"

    await outlets.mode("akp", "ok")
    await drain(worker, seconds=30)

    rows = await Delivery.filter(connector="akp")
    assert len(rows) == REBUTTALS
    assert {r.status for r in rows} == {DeliveryStatus.DELIVERED}
    received = await outlets.received("akp")
    keys = [entry["idempotency_key"] for entry in received]
    assert sorted(keys) == sorted(r.idempotency_key for r in rows), "each delivered once"
    reclaimed = [r for r in rows if r.id in {d.id for d in in_flight}]
    assert all(r.attempts >= 2 for r in reclaimed)
