"""Prometheus metrics: what operators watch, served at ``/metrics`` (``coordhub.web.probes``).

Counters and histograms are observed where things happen; gauges that describe stored state
(deliveries by status, queue depth) are refreshed from the database when scraped. Each process
has its own registry: scrape every API process (with ``--workers N``, use one port per process
or a sidecar; the database-backed gauges agree across processes).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from prometheus_client import Counter, Gauge, Histogram
from strawberry.extensions import SchemaExtension
from tortoise.functions import Count

from coordhub.models import Delivery, DeliveryStatus

GRAPHQL_REQUESTS = Counter(
    "coordhub_graphql_requests_total",
    "GraphQL operations by type, name and outcome.",
    ["type", "operation", "outcome"],
)
GRAPHQL_SECONDS = Histogram(
    "coordhub_graphql_request_seconds", "Time to execute a GraphQL operation.", ["type"]
)
DELIVERIES = Gauge(
    "coordhub_deliveries", "Deliveries by connector and status.", ["connector", "status"]
)
QUEUE_DEPTH = Gauge(
    "coordhub_delivery_queue_depth", "Deliveries waiting to be sent, per connector.", ["connector"]
)
DELIVERY_LATENCY = Histogram(
    "coordhub_delivery_latency_seconds",
    "From a delivery being queued (the publish) to the outlet accepting it.",
    ["connector"],
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400, 259200),
)
SUBSCRIBERS = Gauge("coordhub_subscribers", "Live subscriptions in this process.")
COMPILED_READS = Counter(
    "coordhub_compiled_reads_total",
    "Queries by how they were executed: 'compiled' (coordhub.schema.compiled) or 'fallback' "
    "(field by field: a field it does not know, or a compiled run that raised).",
    ["path"],
)
SUBSCRIPTION_ANSWERS = Counter(
    "coordhub_subscription_answers_total",
    "Answers to subscription events: 'executed' ran the selection, 'shared' reused the answer "
    "of a subscriber of the same document, variables and answer class to the same event.",
    ["source"],
)
REPORT_TO_PUBLISH = Histogram(
    "coordhub_report_to_published_rebuttal_seconds",
    "From a claim's report to its first published rebuttal.",
    buckets=(600, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400, 30 * 86400),
)


MAX_OPERATION_NAMES = 200
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_seen_names: set[str] = set()


def operation_label(name: str | None) -> str:
    """Clients choose operation names: keep the label set bounded."""
    if not name:
        return "anonymous"
    if name in _seen_names:
        return name
    if len(_seen_names) < MAX_OPERATION_NAMES and _OPERATION_NAME.match(name):
        _seen_names.add(name)
        return name
    return "other"


class GraphQLMetrics(SchemaExtension):
    """Counts and times every operation by its type and name."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        kind = context.operation_type.value if context.operation_type else "invalid"
        GRAPHQL_SECONDS.labels(type=kind).observe(time.perf_counter() - started)
        result = context.result
        outcome = "error" if result is not None and result.errors else "ok"
        name = operation_label(context.operation_name)
        GRAPHQL_REQUESTS.labels(type=kind, operation=name, outcome=outcome).inc()


async def refresh_stored_state(subscribers: int) -> None:
    """Set the gauges that describe stored state (one grouped query)."""
    rows = await (
        Delivery.all()
        .annotate(n=Count("id"))
        .group_by("connector", "status")
        .values_list("connector", "status", "n")
    )
    DELIVERIES.clear()
    QUEUE_DEPTH.clear()
    waiting = (DeliveryStatus.PENDING.value, DeliveryStatus.RETRYING.value)
    depth: dict[str, int] = {}
    for connector, status, count in rows:
        status_value = getattr(status, "value", status)
        DELIVERIES.labels(connector=connector, status=status_value).set(count)
        if status_value in waiting:
            depth[connector] = depth.get(connector, 0) + count
    for connector, count in depth.items():
        QUEUE_DEPTH.labels(connector=connector).set(count)
    SUBSCRIBERS.set(subscribers)
