"""DataLoaders: one batched statement per relation per request, whatever the page size.

Loaders are created per request with the caller's ``Actor`` and apply the same visibility
filters as the top-level queries, so a nested field never shows what a list would not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from functools import cached_property
from typing import TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from coordhub.actor import Actor
from coordhub.models import (
    Account,
    Appearance,
    Claim,
    ClaimSupport,
    Delivery,
    Evidence,
    Institution,
    Rebuttal,
    RebuttalRevision,
    Review,
    Role,
)
from coordhub.workflow.visibility import claims_filter, deliveries_filter, rebuttals_filter

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Loader(DataLoader[K, T]):
    """A DataLoader that does not keep failures: after a load failed (the database was
    unreachable), the next ``load`` of that key queries again. Loaders shared beyond one
    request (subscriptions keep them per event) would otherwise repeat the error for good."""

    def load(self, key: K) -> Awaitable[T]:
        cached = self.cache_map.get(key) if self.cache else None
        failed = cached is not None and cached.done() and not cached.cancelled()
        if failed and cached.exception() is not None:  # type: ignore[union-attr]
            self.clear(key)
        return super().load(key)


def _by_key(rows: Iterable[M], keys: Sequence[int], key: Callable[[M], int]) -> list[M | None]:
    index = {key(row): row for row in rows}
    return [index.get(k) for k in keys]


def _grouped(rows: Iterable[M], keys: Sequence[int], key: Callable[[M], int]) -> list[list[M]]:
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]


def visibility_key(actor: Actor | None) -> tuple[object, ...]:
    """Callers with the same key see the same rows through every loader."""
    if actor is None or actor.role == Role.SERVICE:
        return ("public",)
    if actor.reads_everything:
        return ("everything",)
    if actor.acts_for_institution:
        return ("institution", actor.institution_id)
    return ("account", actor.account_id)  # a reporter also sees the claims it reported


class Loaders:
    """The DataLoaders of one request, each created on first use."""

    def __init__(self, actor: Actor | None) -> None:
        self.actor = actor

    # Lazily: a subscription connection holds one set per operation, mostly unused.
    @cached_property
    def institution(self) -> Loader[int, Institution | None]:
        return Loader(self._institutions)

    @cached_property
    def claim(self) -> Loader[int, Claim | None]:
        return Loader(self._claims)

    @cached_property
    def rebuttal(self) -> Loader[int, Rebuttal | None]:
        return Loader(self._rebuttals)

    @cached_property
    def account(self) -> Loader[int, Account | None]:
        return Loader(self._accounts)

    @cached_property
    def supporting(self) -> Loader[int, list[ClaimSupport]]:
        return Loader(self._supporting)

    @cached_property
    def cluster_members(self) -> Loader[int, list[Claim]]:
        """The claims of each cluster that the caller may read, oldest first."""
        return Loader(self._cluster_members)

    @cached_property
    def appearances(self) -> Loader[int, list[Appearance]]:
        return Loader(self._appearances)

    @cached_property
    def rebuttals_of_claim(self) -> Loader[int, list[Rebuttal]]:
        return Loader(self._rebuttals_of_claim)

    @cached_property
    def revisions(self) -> Loader[int, list[RebuttalRevision]]:
        return Loader(self._revisions)

    @cached_property
    def evidence(self) -> Loader[int, list[Evidence]]:
        return Loader(self._evidence)

    @cached_property
    def reviews(self) -> Loader[int, list[Review]]:
        return Loader(self._reviews)

    @cached_property
    def delivery(self) -> Loader[int, Delivery | None]:
        return Loader(self._deliveries)

    async def _institutions(self, ids: list[int]) -> list[Institution | None]:
        return _by_key(await Institution.filter(id__in=ids), ids, lambda r: r.id)

    async def _claims(self, ids: list[int]) -> list[Claim | None]:
        rows = await Claim.filter(claims_filter(self.actor), id__in=ids)
        return _by_key(rows, ids, lambda r: r.id)

    async def _rebuttals(self, ids: list[int]) -> list[Rebuttal | None]:
        rows = await Rebuttal.filter(rebuttals_filter(self.actor), id__in=ids)
        return _by_key(rows, ids, lambda r: r.id)

    async def _deliveries(self, ids: list[int]) -> list[Delivery | None]:
        rows = await Delivery.filter(deliveries_filter(self.actor), id__in=ids)
        return _by_key(rows, ids, lambda r: r.id)

    async def _accounts(self, ids: list[int]) -> list[Account | None]:
        return _by_key(await Account.filter(id__in=ids), ids, lambda r: r.id)

    async def _supporting(self, claim_ids: list[int]) -> list[list[ClaimSupport]]:
        rows = await ClaimSupport.filter(claim_id__in=claim_ids).order_by("id")
        return _grouped(rows, claim_ids, lambda r: r.claim_id)

    async def _cluster_members(self, cluster_ids: list[int]) -> list[list[Claim]]:
        rows = await Claim.filter(claims_filter(self.actor), cluster_id__in=cluster_ids).order_by(
            "id"
        )
        return _grouped(rows, cluster_ids, lambda r: r.cluster_id or 0)

    async def _appearances(self, claim_ids: list[int]) -> list[list[Appearance]]:
        rows = await Appearance.filter(claim_id__in=claim_ids).order_by("seen_at", "id")
        return _grouped(rows, claim_ids, lambda r: r.claim_id)

    async def _rebuttals_of_claim(self, claim_ids: list[int]) -> list[list[Rebuttal]]:
        rows = await Rebuttal.filter(rebuttals_filter(self.actor), claim_id__in=claim_ids).order_by(
            "id"
        )
        return _grouped(rows, claim_ids, lambda r: r.claim_id)

    async def _revisions(self, rebuttal_ids: list[int]) -> list[list[RebuttalRevision]]:
        rows = await RebuttalRevision.filter(rebuttal_id__in=rebuttal_ids).order_by("number")
        return _grouped(rows, rebuttal_ids, lambda r: r.rebuttal_id)

    async def _evidence(self, revision_ids: list[int]) -> list[list[Evidence]]:
        rows = await Evidence.filter(revision_id__in=revision_ids).order_by("position")
        return _grouped(rows, revision_ids, lambda r: r.revision_id)

    async def _reviews(self, rebuttal_ids: list[int]) -> list[list[Review]]:
        rows = await Review.filter(rebuttal_id__in=rebuttal_ids).order_by("id")
        return _grouped(rows, rebuttal_ids, lambda r: r.rebuttal_id)
