"""Random sequences of mutations by random actors keep the workflow's invariants.

After every step:
- a refused mutation changed nothing (claims, rebuttals, revisions, evidence, events);
- an accepted one appended at least one event;
- the event log replays to the current state of every claim and rebuttal;
- a published revision never changes;
- a claim is REBUTTED exactly when it has a live, unretracted rebuttal;
- a rebuttal has a time to publish exactly while it is SCHEDULED; when that time comes
  (``time_passes``) the worker's timers publish or unschedule every one.
"""

from __future__ import annotations

import asyncio
import base64
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import TortoiseContext

from coordhub.app import create_app
from coordhub.db import tortoise_config
from coordhub.models import (
    Claim,
    ClaimStatus,
    Event,
    Evidence,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
)
from coordhub.settings import Settings
from coordhub.workflow.timers import Timers
from tests.databases import databases, kind_for
from tests.flows import draft_input, report_input
from tests.support import ACCOUNTS, GraphQLClient, build_world

ACTORS = st.sampled_from([None, *ACCOUNTS])


def mostly(*keys: str) -> st.SearchStrategy[str | None]:
    """Usually an actor who may act (so that sequences get far), sometimes anyone."""
    return st.one_of(st.sampled_from(keys), st.sampled_from(keys), ACTORS)


COORDINATOR = mostly("coordinator")
AUTHORS = mostly("health_editor", "health_editor2", "education_editor", "health_approver")
# Hypothesis favours the first entries when it simplifies, so the chain to publication leads.
OPERATIONS = [
    *["submit", "review", "publish", "schedule", "draft", "triage"] * 3,
    *["update", "revise", "report"] * 2,
    *["time_passes"] * 2,
    "unschedule",
    "dismiss",
    "merge",
    "retract",
]
INSTITUTIONS = ["health", "education", "interior", "moi"]

# Each example makes its own database (not a fixture): it runs on SQLite and on PostgreSQL.
pytestmark = pytest.mark.database


async def snapshot() -> dict[str, Any]:
    """Everything a mutation may change."""
    return {
        "claims": await Claim.all().order_by("id").values(),
        "rebuttals": await Rebuttal.all().order_by("id").values(),
        "revisions": await RebuttalRevision.all().order_by("id").values(),
        "evidence": await Evidence.all().order_by("id").values(),
        "events": await Event.all().order_by("seq").values_list("seq", flat=True),
    }


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.resources = ExitStack()
        url = self.resources.enter_context(databases.fresh(kind_for()))
        self.settings = Settings(database_url=url)
        self.loop = asyncio.new_event_loop()
        EXECUTOR_CACHE.clear()  # as tests.support.open_database does: the suite mixes dialects
        self.ctx = TortoiseContext()
        self.ctx.__enter__()
        self.run(self.ctx.init(config=tortoise_config(self.settings)))
        world = self.run(build_world())
        app = create_app(self.settings, manage_database=False)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://coordhub.test"
        )
        self.gql = GraphQLClient(self.http, world)
        self.revisions_seen: dict[tuple[int, int], dict[str, Any]] = {}
        self.claims: list[str] = []
        self.triaged: list[str] = []
        self.rebuttals: list[str] = []

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.run(self.http.aclose())
        self.run(self.ctx.close_connections())
        self.ctx.__exit__(None, None, None)
        self.loop.close()
        EXECUTOR_CACHE.clear()
        self.resources.close()

    def mutate(self, name: str, input: dict[str, Any], actor: str | None) -> str | None:
        """Run a mutation; check that a refusal changed nothing. The object's id on success."""
        before = self.run(snapshot())
        payload = self.run(self.gql.mutate(name, input, as_=actor))
        after = self.run(snapshot())
        if payload["errors"]:
            assert after == before, (name, actor, payload["errors"])
            return None
        assert len(after["events"]) > len(before["events"]), name
        return payload["claim" if "Claim" in name else "rebuttal"]["id"]

    @initialize()
    def first_claim(self) -> None:
        claim_id = self.mutate("reportClaim", report_input(), "reporter")
        assert claim_id is not None
        self.claims.append(claim_id)

    @initialize()
    def an_approved_rebuttal(self) -> None:
        """A rebuttal one step from publication, so that sequences reach what follows it
        (publishing, scheduling, correcting, retracting) and not only the way there."""
        claim_id = self.mutate("reportClaim", report_input(), "reporter")
        assert claim_id is not None
        triage = {"claimId": claim_id, "lead": "health", "priority": "HIGH"}
        assert self.mutate("triageClaim", triage, "coordinator")
        rebuttal_id = self.mutate("draftRebuttal", draft_input(claim_id), "health_editor")
        assert rebuttal_id is not None
        assert self.mutate("submitRebuttal", {"rebuttalId": rebuttal_id}, "health_editor")
        review = {"rebuttalId": rebuttal_id, "decision": "APPROVE"}
        assert self.mutate("reviewRebuttal", review, "health_approver")
        self.claims.append(claim_id)
        self.triaged.append(claim_id)
        self.rebuttals.append(rebuttal_id)

    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        """One mutation, chosen with weights that let sequences reach publication."""
        operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
        getattr(self, operation)(data)

    def pick(self, data: st.DataObject, items: list[str], label: str) -> str:
        return data.draw(st.sampled_from(items), label=label)

    def report(self, data: st.DataObject) -> None:
        actor = data.draw(mostly("reporter", "health_editor", "coordinator"), label="actor")
        claim_id = self.mutate("reportClaim", report_input(), actor)
        if claim_id:
            self.claims.append(claim_id)

    def triage(self, data: st.DataObject) -> None:
        triage = {
            "claimId": self.pick(data, self.claims, "claim"),
            "lead": data.draw(st.sampled_from(["health", "health", *INSTITUTIONS]), label="lead"),
            "supporting": data.draw(
                st.lists(st.sampled_from(INSTITUTIONS), max_size=2, unique=True), label="support"
            ),
            "priority": data.draw(st.sampled_from(["LOW", "NORMAL", "HIGH", "CRITICAL"])),
        }
        if self.mutate("triageClaim", triage, data.draw(COORDINATOR, label="actor")):
            self.triaged.append(triage["claimId"])

    def dismiss(self, data: st.DataObject) -> None:
        note = {"km": "ត្រឹមត្រូវ", "en": "Accurate."}
        dismiss = {"claimId": self.pick(data, self.claims, "claim"), "reason": "ACCURATE"}
        self.mutate("dismissClaim", {**dismiss, "note": note}, data.draw(COORDINATOR))

    def merge(self, data: st.DataObject) -> None:
        merge = {
            "claimId": self.pick(data, self.claims, "claim"),
            "intoClaimId": self.pick(data, self.claims, "into"),
        }
        self.mutate("mergeClaim", merge, data.draw(COORDINATOR, label="actor"))

    def draft(self, data: st.DataObject) -> None:
        claim = self.pick(data, self.triaged or self.claims, "claim")
        rebuttal_id = self.mutate("draftRebuttal", draft_input(claim), data.draw(AUTHORS))
        if rebuttal_id:
            self.rebuttals.append(rebuttal_id)

    def on_rebuttal(self, data: st.DataObject, name: str, roles: tuple[str, ...], **extra: Any):
        """Act on a rebuttal, usually as one of ``roles`` of its own institution."""
        if not self.rebuttals:
            return
        rebuttal = self.pick(data, self.rebuttals, "rebuttal")
        pk = int(base64.b64decode(rebuttal).decode().split(":")[1])
        slug = self.run(Rebuttal.get(id=pk).values_list("institution__slug", flat=True))
        actors = mostly(
            *(
                key
                for key in ACCOUNTS
                if key.startswith(f"{slug}_") and key.rstrip("2").endswith(roles)
            )
        )
        self.mutate(name, {"rebuttalId": rebuttal, **extra}, data.draw(actors, label="actor"))

    def update(self, data: st.DataObject) -> None:
        headline = data.draw(st.sampled_from(["A", "B", "ខ"]), label="headline")
        self.on_rebuttal(
            data,
            "updateRebuttal",
            ("editor", "approver"),
            headline={"km": headline, "en": headline},
        )

    def submit(self, data: st.DataObject) -> None:
        self.on_rebuttal(data, "submitRebuttal", ("editor", "approver"))

    def review(self, data: st.DataObject) -> None:
        decision = data.draw(st.sampled_from(["APPROVE", "APPROVE", "REQUEST_CHANGES"]))
        self.on_rebuttal(
            data, "reviewRebuttal", ("approver",), decision=decision, comment="Checked."
        )

    def publish(self, data: st.DataObject) -> None:
        self.on_rebuttal(data, "publishRebuttal", ("editor", "approver"))

    def schedule(self, data: st.DataObject) -> None:
        when = data.draw(st.sampled_from([3600, 7200, -60]), label="publishAt in seconds")
        at = (datetime.now(UTC) + timedelta(seconds=when)).isoformat()
        self.on_rebuttal(data, "publishRebuttal", ("editor", "approver"), publishAt=at)

    def unschedule(self, data: st.DataObject) -> None:
        self.on_rebuttal(data, "unscheduleRebuttal", ("editor", "approver"))

    def time_passes(self, data: st.DataObject) -> None:
        """Every scheduled publication comes due, and the worker's timers run."""
        past = datetime.now(UTC) - timedelta(seconds=1)
        self.run(Rebuttal.filter(status=RebuttalStatus.SCHEDULED).update(publish_at=past))
        self.run(Timers(self.settings).run_once())
        assert not self.run(Rebuttal.filter(status=RebuttalStatus.SCHEDULED).exists())

    def revise(self, data: st.DataObject) -> None:
        self.on_rebuttal(data, "reviseRebuttal", ("editor", "approver"))

    def retract(self, data: st.DataObject) -> None:
        self.on_rebuttal(
            data, "retractRebuttal", ("approver",), reason={"km": "ខុស។", "en": "Wrong."}
        )

    @invariant()
    def event_log_replays_to_the_current_state(self) -> None:
        claim_status: dict[int, str] = {}
        rebuttal_state: dict[int, tuple[str, int | None]] = {}
        for event in self.run(Event.all().order_by("seq")):
            if "claimStatus" in event.payload:
                claim_status[event.claim_id] = event.payload["claimStatus"]
            if "rebuttalStatus" in event.payload:
                state = (event.payload["rebuttalStatus"], event.payload["revision"])
                rebuttal_state[event.rebuttal_id] = state
        claims = self.run(Claim.all())
        rebuttals = self.run(Rebuttal.all())
        assert claim_status == {c.id: c.status.value for c in claims}
        assert rebuttal_state == {r.id: (r.status.value, r.live_revision) for r in rebuttals}

    @invariant()
    def a_rebuttal_has_a_time_to_publish_exactly_while_scheduled(self) -> None:
        for rebuttal in self.run(Rebuttal.all()):
            scheduled = rebuttal.status == RebuttalStatus.SCHEDULED
            assert scheduled == (rebuttal.publish_at is not None), rebuttal.id
            assert scheduled == (rebuttal.scheduled_by_id is not None), rebuttal.id

    @invariant()
    def published_revisions_never_change(self) -> None:
        for revision in self.run(RebuttalRevision.all()):
            evidence = self.run(Evidence.filter(revision_id=revision.id).order_by("position"))
            content = {
                "text": (revision.verdict, revision.headline_en, revision.body_en),
                "evidence": [
                    (e.url, e.title_km, e.title_en, e.note_km, e.note_en) for e in evidence
                ],
                "published_at": revision.published_at,
            }
            key = (revision.rebuttal_id, revision.number)
            assert self.revisions_seen.setdefault(key, content) == content

    @invariant()
    def a_claim_is_rebutted_exactly_when_a_live_rebuttal_answers_it(self) -> None:
        answered = {
            r.claim_id
            for r in self.run(Rebuttal.filter(live_revision__isnull=False))
            if r.status != RebuttalStatus.RETRACTED
        }
        for claim in self.run(Claim.all()):
            assert (claim.status == ClaimStatus.REBUTTED) == (claim.id in answered), claim.id


Workflow.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_workflow_state_machine = Workflow.TestCase
