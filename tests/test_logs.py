"""Structured logs with a request id."""

from __future__ import annotations

import logging
import sys

import httpx
import orjson
import pytest

from coordhub.logs import JsonFormatter, request_id
from coordhub.settings import Settings


async def test_every_response_carries_a_request_id(http: httpx.AsyncClient) -> None:
    generated = await http.get("/healthz")
    given = await http.get("/healthz", headers={"x-request-id": "abc-123"})
    assert len(generated.headers["x-request-id"]) == 32
    assert given.headers["x-request-id"] == "abc-123"


def test_json_lines_carry_the_request_id_and_the_exception() -> None:
    record = logging.LogRecord("coordhub.x", logging.ERROR, __file__, 1, "failed %s", ("it",), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    token = request_id.set("req-1")
    try:
        line = orjson.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "failed it" and line["request_id"] == "req-1"
    assert line["level"] == "ERROR" and "RuntimeError: boom" in line["exception"]


@pytest.mark.parametrize(
    ("environment", "expected"), [("production", "json"), ("development", "text")]
)
def test_json_by_default_in_production(environment: str, expected: str) -> None:
    settings = Settings(environment=environment)  # type: ignore[arg-type]
    assert settings.log_format_resolved == expected
