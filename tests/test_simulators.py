"""The outlet simulators: each wire protocol, idempotency, failure modes and the control API."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from pydantic import ValidationError
from standardwebhooks.webhooks import Webhook

from coordhub.simulators import (
    DEMO_WEBHOOK_SECRET,
    OUTLETS,
    SimulatorSecrets,
    create_simulator_app,
    serve_simulators,
)
from coordhub.simulators.tvk import sign

SECRETS = SimulatorSecrets(
    _env_file=None,
    akp_token="akp-test-token",
    tvk_secret="tvk-test-secret",
    app_token="app-test-token",
    webhook_secret="whsec_" + "dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5YWI=",
)
NEWSML_NS = "http://iptc.org/std/nar/2006-10-01/"
KM_TICKER = "ព័ត៌មានមិនពិត៖ ក្រសួងសុខាភិបាលបានបដិសេធ"

Sender = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A client talking to a fresh simulator app over ASGI."""
    transport = httpx.ASGITransport(app=create_simulator_app(SECRETS))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
        yield http


# --- payload builders -----------------------------------------------------------------------


def builder(base: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """A function giving a fresh copy of the valid payload ``base``, with keyword overrides."""

    def build(**overrides: Any) -> dict[str, Any]:
        """A copy of the valid payload with ``overrides``."""
        return {**copy.deepcopy(base), **overrides}

    return build


def bearer_sender(path: str, build: Callable[[], Any], key: str, token: str) -> Sender:
    """A function POSTing a payload (default ``build()``) to ``path`` with a bearer token and an
    idempotency key, as AKP and the ministry app take it."""

    async def send(
        client: httpx.AsyncClient, payload: Any = None, key: str = key, token: str = token
    ) -> httpx.Response:
        """POST ``payload``."""
        return await client.post(
            path,
            json=build() if payload is None else payload,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        )

    return send


#: A minimal valid ninjs item for AKP.
ninjs = builder(
    {
        "uri": "urn:coordhub:rebuttal:42",
        "version": "1",
        "pubstatus": "usable",
        "headlines": [{"value": "Claim about vaccines is false", "contenttype": "text/plain"}],
        "language": "en",
    }
)
post_akp = bearer_sender("/akp/items", ninjs, "akp-key-1", SECRETS.akp_token)


def newsml(guid: str = "urn:coordhub:rebuttal:42", version: str = "3") -> str:
    """A small NewsML-G2 newsItem document."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<newsItem xmlns="{NEWSML_NS}" guid="{guid}" version="{version}" standard="NewsML-G2">'
        "<contentSet><inlineXML contenttype='application/xhtml+xml'/></contentSet></newsItem>"
    )


#: A valid TVK envelope.
tvk_envelope = builder(
    {"newsml": newsml(), "ticker": {"km": KM_TICKER, "en": "FALSE: the ministry denies the claim"}}
)


async def post_tvk(
    client: httpx.AsyncClient,
    envelope: dict[str, Any] | None = None,
    key: str = "tvk-key-1",
    secret: str = SECRETS.tvk_secret,
    signature: str | None = None,
) -> httpx.Response:
    """POST a signed envelope to TVK (the signature covers the exact bytes sent)."""
    body = orjson.dumps(tvk_envelope() if envelope is None else envelope)
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        "X-TVK-Signature": sign(body, secret) if signature is None else signature,
    }
    return await client.post("/tvk/newsml", content=body, headers=headers)


#: A valid ministry app push request.
push = builder(
    {
        "title": {"km": "ការបដិសេធព័ត៌មាន", "en": "Rebuttal published"},
        "body": {"km": KM_TICKER, "en": "The ministry denies the claim about vaccines."},
        "deep_link": "https://moh.gov.kh/rebuttals/42",
        "collapse_key": "rebuttal-42",
        "action": "PUBLISH",
    }
)
post_push = bearer_sender("/ministry-app/push", push, "push-key-1", SECRETS.app_token)


async def post_webhook(
    client: httpx.AsyncClient,
    payload: Any = None,
    msg_id: str = "msg_1",
    secret: str = SECRETS.webhook_secret,
    at: datetime | None = None,
    raw: bytes | None = None,
) -> httpx.Response:
    """POST a Standard Webhooks message signed with ``secret``."""
    body = raw if raw is not None else orjson.dumps(payload or {"type": "rebuttal.published"})
    timestamp = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, timestamp, body.decode())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
    }
    return await client.post("/webhook", content=body, headers=headers)


async def received(client: httpx.AsyncClient, outlet: str) -> list[dict[str, Any]]:
    """The deliveries the outlet recorded."""
    answer = await client.get(f"/_control/{outlet}/received")
    assert answer.status_code == 200
    return answer.json()


async def attempts(client: httpx.AsyncClient, outlet: str) -> int:
    """The number of POSTs the outlet got."""
    answer = await client.get(f"/_control/{outlet}/attempts")
    assert answer.status_code == 200
    return answer.json()["attempts"]


async def set_mode(client: httpx.AsyncClient, outlet: str, **body: Any) -> httpx.Response:
    """Switch an outlet's mode."""
    return await client.post(f"/_control/{outlet}/mode", json=body)


SENDERS = {"akp": post_akp, "tvk": post_tvk, "ministry-app": post_push, "webhook": post_webhook}
SUCCESS = {"akp": 201, "tvk": 200, "ministry-app": 202, "webhook": 200}


# --- valid deliveries -----------------------------------------------------------------------


async def test_health(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
    for outlet in OUTLETS:
        answer = await client.get(f"/{outlet}/health")
        assert (answer.status_code, answer.json()) == (200, {"ok": True})


async def test_akp_delivery_is_recorded(client: httpx.AsyncClient) -> None:
    answer = await post_akp(client)
    assert (answer.status_code, answer.json()) == (201, {"id": "akp-1"})
    [delivery] = await received(client, "akp")
    assert delivery["id"] == "akp-1"
    assert delivery["payload"] == ninjs()
    assert delivery["idempotency_key"] == "akp-key-1"
    assert delivery["attempts"] == 1
    assert "authorization" not in delivery["headers"]
    assert delivery["headers"]["idempotency-key"] == "akp-key-1"
    assert datetime.fromisoformat(delivery["received_at"]).tzinfo is not None
    assert (await post_akp(client, key="akp-key-2")).json() == {"id": "akp-2"}


async def test_tvk_delivery_is_recorded(client: httpx.AsyncClient) -> None:
    answer = await post_tvk(client)
    assert answer.status_code == 200
    assert answer.json() == {"guid": "urn:coordhub:rebuttal:42", "version": "3"}
    [delivery] = await received(client, "tvk")
    assert delivery["payload"]["ticker"]["km"] == KM_TICKER
    assert "x-tvk-signature" not in delivery["headers"]


async def test_tvk_ticker_of_exactly_140_chars_is_accepted(client: httpx.AsyncClient) -> None:
    ticker = {"km": "ក" * 140, "en": "x" * 140}
    assert (await post_tvk(client, tvk_envelope(ticker=ticker))).status_code == 200


async def test_ministry_push_is_recorded(client: httpx.AsyncClient) -> None:
    answer = await post_push(client)
    assert (answer.status_code, answer.json()) == (202, {"notification_id": "push-1"})
    [delivery] = await received(client, "ministry-app")
    assert delivery["payload"] == push()
    assert "authorization" not in delivery["headers"]


async def test_webhook_is_recorded(client: httpx.AsyncClient) -> None:
    answer = await post_webhook(client, {"type": "rebuttal.published", "id": 42})
    assert (answer.status_code, answer.json()) == (200, {"ok": True})
    [delivery] = await received(client, "webhook")
    assert delivery["payload"] == {"type": "rebuttal.published", "id": 42}
    assert delivery["idempotency_key"] == "msg_1"
    assert "webhook-signature" not in delivery["headers"]
    assert delivery["headers"]["webhook-id"] == "msg_1"


# --- authentication -------------------------------------------------------------------------


async def test_akp_bad_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await post_akp(client, token="wrong")).status_code == 401
    missing = await client.post("/akp/items", json=ninjs(), headers={"Idempotency-Key": "k"})
    assert missing.status_code == 401
    assert "error" in missing.json()
    assert await received(client, "akp") == []
    assert await attempts(client, "akp") == 2


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "md5=abc", sign(b"other body", SECRETS.tvk_secret)],
)
async def test_tvk_bad_signature_is_401(client: httpx.AsyncClient, signature: str) -> None:
    assert (await post_tvk(client, signature=signature)).status_code == 401
    assert await received(client, "tvk") == []


async def test_tvk_wrong_secret_is_401(client: httpx.AsyncClient) -> None:
    assert (await post_tvk(client, secret="not-the-secret")).status_code == 401


async def test_ministry_bad_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await post_push(client, token=SECRETS.akp_token)).status_code == 401
    assert await received(client, "ministry-app") == []


async def test_webhook_bad_signature_is_401(client: httpx.AsyncClient) -> None:
    assert (await post_webhook(client, secret=DEMO_WEBHOOK_SECRET)).status_code == 401
    stale = datetime.now(UTC) - timedelta(minutes=10)
    assert (await post_webhook(client, at=stale)).status_code == 401
    unsigned = await client.post("/webhook", json={"type": "x"}, headers={"webhook-id": "m"})
    assert unsigned.status_code == 401
    mangled = await client.post(
        "/webhook",
        json={"type": "x"},
        headers={
            "webhook-id": "m",
            "webhook-timestamp": str(int(time.time())),
            "webhook-signature": "garbage",
        },
    )
    assert mangled.status_code == 401
    assert await received(client, "webhook") == []


# --- malformed payloads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        {k: v for k, v in ninjs().items() if k != "uri"},
        ninjs(uri=""),
        ninjs(version=1),
        ninjs(pubstatus="published"),
        [ninjs()],
    ],
)
async def test_akp_malformed_is_422(client: httpx.AsyncClient, item: Any) -> None:
    answer = await post_akp(client, item)
    assert answer.status_code == 422
    assert isinstance(answer.json()["error"], str)
    assert await received(client, "akp") == []


async def test_akp_needs_json_and_an_idempotency_key(client: httpx.AsyncClient) -> None:
    auth = {"Authorization": f"Bearer {SECRETS.akp_token}"}
    headers = {**auth, "Idempotency-Key": "k", "Content-Type": "application/json"}
    not_json = await client.post("/akp/items", content=b"{not json", headers=headers)
    assert not_json.status_code == 422
    no_key = await client.post("/akp/items", json=ninjs(), headers=auth)
    assert no_key.status_code == 422
    as_text = await client.post(
        "/akp/items",
        content=orjson.dumps(ninjs()),
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert as_text.status_code == 415


@pytest.mark.parametrize(
    "envelope",
    [
        tvk_envelope(newsml="<newsItem guid='g' version='1'>"),
        tvk_envelope(newsml=f"<packageItem xmlns='{NEWSML_NS}' guid='g' version='1'/>"),
        tvk_envelope(newsml="<newsItem version='1'/>"),
        tvk_envelope(newsml="<newsItem guid='g'/>"),
        tvk_envelope(newsml=42),
        tvk_envelope(ticker={"km": "ក" * 141, "en": "ok"}),
        tvk_envelope(ticker={"km": "", "en": "ok"}),
        tvk_envelope(ticker={"km": KM_TICKER}),
        tvk_envelope(ticker="FALSE"),
    ],
)
async def test_tvk_malformed_is_422(client: httpx.AsyncClient, envelope: dict[str, Any]) -> None:
    answer = await post_tvk(client, envelope)
    assert answer.status_code == 422, answer.text
    assert "error" in answer.json()


@pytest.mark.parametrize(
    "payload",
    [
        push(title={"km": "ក" * 81, "en": "ok"}),
        push(body={"km": "ok", "en": "x" * 241}),
        push(title={"en": "only English"}),
        push(deep_link="ftp://moh.gov.kh/rebuttals/42"),
        push(deep_link="moh.gov.kh"),
        push(collapse_key=""),
        push(action="DELETE"),
    ],
)
async def test_ministry_malformed_is_422(
    client: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    answer = await post_push(client, payload)
    assert answer.status_code == 422, answer.text
    assert await received(client, "ministry-app") == []


async def test_ministry_limits_are_inclusive(client: httpx.AsyncClient) -> None:
    payload = push(title={"km": "ក" * 80, "en": "t" * 80}, body={"km": "ខ" * 240, "en": "b" * 240})
    assert (await post_push(client, payload)).status_code == 202


async def test_webhook_signed_non_json_is_422(client: httpx.AsyncClient) -> None:
    assert (await post_webhook(client, raw=b"not json")).status_code == 422


# --- idempotency ----------------------------------------------------------------------------


async def test_akp_idempotency_key_dedupes(client: httpx.AsyncClient) -> None:
    first = await post_akp(client, key="same")
    again = await post_akp(client, ninjs(version="2"), key="same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() == {"id": "akp-1"}
    [delivery] = await received(client, "akp")
    assert (delivery["attempts"], delivery["duplicates"]) == (2, 1)
    assert await attempts(client, "akp") == 2


async def test_tvk_idempotency_key_dedupes(client: httpx.AsyncClient) -> None:
    first = await post_tvk(client, key="same")
    again = await post_tvk(client, key="same")
    assert again.status_code == 200
    assert first.json() == again.json()
    assert len(await received(client, "tvk")) == 1


async def test_ministry_idempotency_key_dedupes(client: httpx.AsyncClient) -> None:
    first = await post_push(client, key="same")
    again = await post_push(client, key="same")
    other = await post_push(client, key="other")
    assert (first.status_code, again.status_code, other.status_code) == (202, 200, 202)
    assert first.json() == again.json() == {"notification_id": "push-1"}
    assert other.json() == {"notification_id": "push-2"}
    assert len(await received(client, "ministry-app")) == 2


async def test_webhook_id_dedupes(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert (await post_webhook(client, msg_id="msg_same")).json() == {"ok": True}
    [delivery] = await received(client, "webhook")
    assert delivery["attempts"] == 3
    assert await attempts(client, "webhook") == 3


async def test_retries_after_failures_are_counted_on_the_delivery(
    client: httpx.AsyncClient,
) -> None:
    assert (await set_mode(client, "akp", mode="down", times=2)).status_code == 200
    statuses = [(await post_akp(client, key="retry")).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]
    [delivery] = await received(client, "akp")
    assert delivery["attempts"] == 3


# --- modes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", OUTLETS)
@pytest.mark.parametrize(
    ("mode", "status"), [("down", 503), ("error", 500), ("gone", 410), ("reject", 400)]
)
async def test_failure_modes_record_nothing(
    client: httpx.AsyncClient, outlet: str, mode: str, status: int
) -> None:
    assert (await set_mode(client, outlet, mode=mode)).json()["mode"] == mode
    for _ in range(2):
        answer = await SENDERS[outlet](client)
        assert answer.status_code == status
    if mode == "reject":
        assert answer.json() == {"error": "rejected by simulator"}
    assert await received(client, outlet) == []
    assert await attempts(client, outlet) == 2
    health = await client.get(f"/{outlet}/health")
    assert health.status_code == (200 if mode == "reject" else status)


@pytest.mark.parametrize(("retry_after", "header"), [(7, "7"), (2.5, "3"), (None, "1")])
async def test_throttle_sends_retry_after(
    client: httpx.AsyncClient, retry_after: float | None, header: str
) -> None:
    body: dict[str, Any] = {"mode": "throttle"}
    if retry_after is not None:
        body["retry_after"] = retry_after
    await set_mode(client, "tvk", **body)
    answer = await post_tvk(client)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == header
    assert await received(client, "tvk") == []
    assert (await client.get("/tvk/health")).status_code == 200


async def test_slow_mode_delays_then_records(client: httpx.AsyncClient) -> None:
    await set_mode(client, "ministry-app", mode="slow", delay=0.2)
    started = time.monotonic()
    answer = await post_push(client)
    assert time.monotonic() - started >= 0.2
    assert answer.status_code == 202
    assert len(await received(client, "ministry-app")) == 1


@pytest.mark.parametrize("outlet", OUTLETS)
async def test_times_applies_mode_to_next_n_only(client: httpx.AsyncClient, outlet: str) -> None:
    await set_mode(client, outlet, mode="error", times=2)
    statuses = []
    for n in range(3):
        sender = SENDERS[outlet]
        key = {"webhook": "msg_id"}.get(outlet, "key")
        statuses.append((await sender(client, **{key: f"k{n}"})).status_code)
    assert statuses == [500, 500, SUCCESS[outlet]]
    assert (await client.get(f"/_control/{outlet}/mode")).json()["mode"] == "ok"
    assert len(await received(client, outlet)) == 1


async def test_ok_mode_clears_a_failure(client: httpx.AsyncClient) -> None:
    await set_mode(client, "akp", mode="gone")
    assert (await post_akp(client)).status_code == 410
    await set_mode(client, "akp", mode="ok")
    assert (await post_akp(client)).status_code == 201


@pytest.mark.parametrize(
    "body",
    [{"mode": "sideways"}, {"mode": "down", "times": 0}, {"mode": "slow", "delay": -1}, {}],
)
async def test_bad_mode_request_is_422(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    answer = await set_mode(client, "akp", **body)
    assert answer.status_code == 422
    assert "error" in answer.json()


async def test_unknown_outlet_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/_control/fresh-news/received")).status_code == 404
    assert (await set_mode(client, "fresh-news", mode="down")).status_code == 404


# --- reset, secrets, isolation --------------------------------------------------------------


async def test_reset_clears_everything(client: httpx.AsyncClient) -> None:
    await post_akp(client)
    await post_webhook(client)
    await set_mode(client, "tvk", mode="down")
    assert (await client.post("/_control/reset")).status_code == 200
    for outlet in OUTLETS:
        assert await received(client, outlet) == []
        assert await attempts(client, outlet) == 0
        assert (await client.get(f"/_control/{outlet}/mode")).json()["mode"] == "ok"
    assert (await post_akp(client)).json() == {"id": "akp-1"}
    assert (await post_tvk(client)).status_code == 200


async def test_apps_do_not_share_state(client: httpx.AsyncClient) -> None:
    await post_akp(client)
    transport = httpx.ASGITransport(app=create_simulator_app(SECRETS))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as other:
        assert await received(other, "akp") == []


def test_secrets_defaults_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AKP_TOKEN", "TVK_SECRET", "APP_TOKEN", "WEBHOOK_SECRET"):
        monkeypatch.delenv(f"COORDHUB_SIM_{name}", raising=False)
    defaults = SimulatorSecrets(_env_file=None)
    assert defaults.akp_token == "akp-demo-token"
    assert defaults.tvk_secret == "tvk-demo-secret"
    assert defaults.app_token == "app-demo-token"
    assert defaults.webhook_secret == DEMO_WEBHOOK_SECRET
    assert defaults.webhook_secret.startswith("whsec_")
    monkeypatch.setenv("COORDHUB_SIM_AKP_TOKEN", "from-env")
    assert SimulatorSecrets(_env_file=None).akp_token == "from-env"
    with pytest.raises(ValidationError):
        SimulatorSecrets(_env_file=None, webhook_secret="whsec_")


# --- the real server ------------------------------------------------------------------------


async def test_serve_simulators_over_real_http() -> None:
    loop = asyncio.get_running_loop()
    bound: asyncio.Future[tuple[str, int]] = loop.create_future()
    task = asyncio.create_task(
        serve_simulators(
            "127.0.0.1",
            0,
            SECRETS,
            log_level="warning",
            ready=lambda host, port: bound.set_result((host, port)),
        )
    )
    try:
        host, port = await asyncio.wait_for(bound, timeout=10)
        assert host == "127.0.0.1" and port > 0
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=5) as http:
            assert (await http.get("/healthz")).status_code == 200
            answer = await post_akp(http)
            assert (answer.status_code, answer.json()) == (201, {"id": "akp-1"})
            assert (await post_tvk(http)).status_code == 200
            assert len(await received(http, "akp")) == 1
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/healthz")
