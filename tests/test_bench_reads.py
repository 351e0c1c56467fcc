"""bench.reads' byte-for-byte check for every role of ``--as``: coordhub and ``bench.reference``
(its SQL applying the role's read rules) return the same body, in process, on a small seed."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest
from rich.console import Console

from bench import reference
from bench.reads_ops import DEFAULT_OPERATIONS, coordhub_in_process, reference_in_process
from bench.reads_roles import ROLES, sign_in
from bench.reads_seed import seed_database


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite://{tmp_path_factory.mktemp('bench') / 'reads.db'}"
    asyncio.run(seed_database(url, 600, Console(quiet=True)))
    return url


async def bodies(url: str, role: str) -> dict[str, tuple[bytes, bytes]]:
    caller = await sign_in(url, role, None)
    ops, ours = await coordhub_in_process(url, DEFAULT_OPERATIONS, caller.headers)
    theirs = await reference_in_process(url, ops, DEFAULT_OPERATIONS, caller.headers)
    return {name: (ours[name].body, theirs[name].body) for name in DEFAULT_OPERATIONS}


@pytest.mark.parametrize("role", ROLES)
async def test_reference_answers_as_coordhub_for_each_role(seeded: str, role: str) -> None:
    for name, (ours, theirs) in (await bodies(seeded, role)).items():
        parsed = orjson.loads(ours)
        assert "errors" not in parsed, (role, name, ours[:300])
        assert orjson.dumps({"data": parsed["data"]}) == theirs, (role, name)


async def test_signed_in_roles_read_more_than_the_public(seeded: str) -> None:
    public = await bodies(seeded, "public")
    for role in ("coordinator", "editor", "reporter"):
        assert (await bodies(seeded, role))["feed"] != public["feed"], role
    assert (await bodies(seeded, "service"))["feed"] == public["feed"]


def test_unknown_token_is_refused_by_the_reference(seeded: str) -> None:
    async def run() -> int:
        app = reference.create_app(seeded)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                answer = await http.get("/feed", headers={"Authorization": "Bearer chub_nope"})
                return answer.status_code

    assert asyncio.run(run()) == 401
