"""Helpers for driving coordhub through its public surface in tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from strawberry.relay import from_base64
from tortoise.backends.base.executor import EXECUTOR_CACHE

from coordhub.auth import create_token
from coordhub.db import database
from coordhub.models import Institution, InstitutionKind, Role
from coordhub.settings import Settings

INSTITUTIONS = [
    ("moi", "ក្រសួងព័ត៌មាន", "Ministry of Information", InstitutionKind.COORDINATOR),
    ("health", "ក្រសួងសុខាភិបាល", "Ministry of Health", InstitutionKind.MINISTRY),
    ("education", "ក្រសួងអប់រំ យុវជន និងកីឡា", "Ministry of Education", InstitutionKind.MINISTRY),
    ("interior", "ក្រសួងមហាផ្ទៃ", "Ministry of Interior", InstitutionKind.MINISTRY),
]

#: Test accounts: key -> (role, institution slug)
ACCOUNTS: dict[str, tuple[Role, str | None]] = {
    "coordinator": (Role.COORDINATOR, "moi"),
    "health_editor": (Role.EDITOR, "health"),
    "health_editor2": (Role.EDITOR, "health"),
    "health_approver": (Role.APPROVER, "health"),
    "health_approver2": (Role.APPROVER, "health"),
    "education_editor": (Role.EDITOR, "education"),
    "education_approver": (Role.APPROVER, "education"),
    "interior_editor": (Role.EDITOR, "interior"),
    "interior_approver": (Role.APPROVER, "interior"),
    "reporter": (Role.REPORTER, None),
    "reporter2": (Role.REPORTER, None),
    "observer": (Role.OBSERVER, None),
    "service": (Role.SERVICE, None),
}


def number(global_id: str) -> int:
    """The primary key inside a global id."""
    return int(from_base64(global_id)[1])


@dataclass
class World:
    """Institutions and one token per test account."""

    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)


async def build_world() -> World:
    for slug, km, en, kind in INSTITUTIONS:
        await Institution.create(slug=slug, name_km=km, name_en=en, kind=kind)
    world = World()
    for key, (role, slug) in ACCOUNTS.items():
        issued = await create_token(key, role, slug)
        world.tokens[key] = issued.secret
        world.token_ids[key] = issued.token.id
    return world


class GraphQLClient:
    """Posts GraphQL documents to the app over ASGI."""

    def __init__(self, http: httpx.AsyncClient, world: World) -> None:
        self.http = http
        self.world = world

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        as_: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if as_ is not None:
            all_headers["authorization"] = f"Bearer {self.world.tokens[as_]}"
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: str | None = None
    ) -> dict[str, Any]:
        """The ``data`` of a successful response; fails the test on any GraphQL error."""
        response = await self.post(query, variables, as_=as_)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def mutate(
        self, name: str, input: dict[str, Any], *, as_: str | None, select: str = ""
    ) -> dict[str, Any]:
        """Run a mutation by name and return its payload (``errors`` included)."""
        object_field = "claim" if "Claim" in name else "rebuttal"
        selection = select or "id status"
        document = (
            f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) {{ "
            f"{object_field} {{ {selection} }} errors {{ code field message }} }} }}"
        )
        if name in ("submitRebuttal", "reviseRebuttal", "unscheduleRebuttal"):
            document = document.replace(f"{name[0].upper()}{name[1:]}Input", "RebuttalIdInput")
        data = await self.execute(document, {"input": input}, as_=as_)
        return data[name]


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[None]:
    """The ORM on ``settings``' database for a test.

    Tortoise caches compiled SQL per connection *name*, not per dialect. A production process
    talks to one database; the suite alternates SQLite and PostgreSQL, so each opening starts
    with an empty cache.
    """
    EXECUTOR_CACHE.clear()
    try:
        async with database(settings, global_fallback=False):
            yield
    finally:
        EXECUTOR_CACHE.clear()
